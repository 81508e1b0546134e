using Conduit.Data.Tests.Support;
using Conduit.Host.Data;
using static Conduit.Data.Tests.Parquet.ParquetColumn;

namespace Conduit.Data.Tests.Parquet;

public sealed class ParquetStreamingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Ten rows whose feature is the row's position (0..9), a NaN at each position in <paramref name="gaps"/>.</summary>
    private Task<string> PositionsAsync(int rowGroupSize, params int[] gaps)
    {
        float[] position = [.. Enumerable.Range(0, 10).Select(i => gaps.Contains(i) ? float.NaN : i)];
        return ParquetFiles.WriteAsync(Path.Combine(_temp.Path, "positions.parquet"), rowGroupSize,
            Of("position", position), Of("label", [.. Enumerable.Range(0, 10).Select(i => i % 3)]));
    }

    [Fact]
    public async Task Row_groups_are_read_in_file_order_one_block_each()
    {
        string path = await PositionsAsync(rowGroupSize: 3);

        IDataset data = ParquetSource.Open(path, ("label", "label"));
        List<float[]> blocks = await ParquetSource.BlocksAsync(data);

        Assert.Equal(10, data.Count);
        Assert.Equal([3, 3, 3, 1], blocks.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), blocks.SelectMany(b => b));
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(data);
        Assert.Equal([0L, 1, 2, 0, 1, 2, 0, 1, 2, 0], loaded.Classes.ToArray());
    }

    [Fact]
    public async Task Skipped_rows_leave_blocks_no_larger_than_their_row_group_and_the_count_exact()
    {
        string path = await PositionsAsync(4, 1, 4, 5, 6, 7);

        IDataset data = ParquetSource.Open(path, ("label", "label"), ("missing", "skip"));
        List<float[]> blocks = await ParquetSource.BlocksAsync(data);

        Assert.Equal(5, data.Count);
        Assert.Equal([3, 2], blocks.Select(b => b.Length));
        Assert.Equal(new float[] { 0, 2, 3, 8, 9 }, blocks.SelectMany(b => b));
    }

    [Fact]
    public async Task Every_read_yields_the_same_examples_and_batches_cover_them_once()
    {
        string path = await PositionsAsync(rowGroupSize: 4);
        IDataset data = ParquetSource.Open(path, ("label", "label"));

        float[] first = [.. (await ParquetSource.BlocksAsync(data)).SelectMany(b => b)];
        float[] again = [.. (await ParquetSource.BlocksAsync(data)).SelectMany(b => b)];
        var shuffled = new List<float>();
        await foreach (DataBatch batch in new StreamingDataset(data).ReadBatchesAsync(new BatchOptions(3, Shuffle: true, Seed: 7)))
        {
            shuffled.AddRange(((TensorBuffer<float>)batch.Features).Memory.ToArray());
        }

        Assert.Equal(first, again);
        Assert.Equal(first, shuffled.Order());
    }
}
