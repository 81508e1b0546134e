using Conduit.Data.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Idx;

/// <summary>The idx source streams: blocks of bounded size, in file order, labels beside their examples, every pass alike.</summary>
public sealed class IdxStreamingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Examples_stream_in_blocks_in_file_order_with_their_labels(bool gzip)
    {
        const int N = 1300;
        // Example i holds i in its first two pixels (low byte, high byte); its label is i % 7.
        double[] pixels = [.. Enumerable.Range(0, N).SelectMany(i => new double[] { i % 256, i / 256, 0, 7 })];
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [N, 2, 2], pixels, gzip);
        string labels = IdxFiles.Write(Path.Combine(_temp.Path, "y.idx"), IdxFiles.Int16, [N], [.. Enumerable.Range(0, N).Select(i => (double)(i % 7))], gzip);
        IDataset data = IdxSource.Open(("path", images), ("labels", labels));

        for (int pass = 0; pass < 2; pass++)
        {
            var blockSizes = new List<int>();
            int next = 0;
            await foreach (DataBatch block in data.ReadAsync())
            {
                blockSizes.Add(block.Count);
                Assert.Equal(new TensorShape(block.Count, 1, 2, 2), block.Features.Shape);
                ReadOnlySpan<float> features = ((TensorBuffer<float>)block.Features).Memory.Span;
                ReadOnlySpan<long> classes = ((TensorBuffer<long>)block.Targets!).Memory.Span;
                for (int r = 0; r < block.Count; r++, next++)
                {
                    Assert.Equal(next, (int)features[4 * r] + (256 * (int)features[(4 * r) + 1]));
                    Assert.Equal(next % 7, classes[r]);
                }
            }
            Assert.Equal(N, next);
            Assert.True(blockSizes.Count > 1, "several blocks");
            Assert.All(blockSizes, size => Assert.InRange(size, 1, 512));
        }
        Assert.Equal(N, data.Count);
        Assert.Equal([.. Enumerable.Range(0, 7).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))], data.Schema.ClassNames);
    }

    [Fact]
    public async Task Large_examples_come_in_fewer_per_block_so_a_block_stays_small()
    {
        // 62 500 values per example: a block of 512 would hold 128 MB of floats.
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "big.idx"), IdxFiles.UByte, [40, 250, 250], new double[40 * 250 * 250], gzip: true);
        IDataset data = IdxSource.Open(("path", path));

        var sizes = new List<int>();
        await foreach (DataBatch block in data.ReadAsync())
        {
            sizes.Add(block.Count);
            Assert.InRange(block.Features.Shape.ElementCount * sizeof(float), 1, 4 << 20);
        }

        Assert.Equal(40, sizes.Sum());
        Assert.True(sizes.Count >= 3, $"blocks: {string.Join(", ", sizes)}");
    }

    [Fact]
    public async Task The_host_streams_the_blocks_into_shuffled_batches_with_drop_last()
    {
        double[] values = [.. Enumerable.Range(0, 100).Select(i => (double)i)];
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [100], values);
        var data = new StreamingDataset(IdxSource.Open(("path", path)));

        var seen = new List<float>();
        await foreach (DataBatch batch in data.ReadBatchesAsync(new BatchOptions(32, Shuffle: true, Seed: 3, DropLast: true)))
        {
            Assert.Equal(32, batch.Count);
            seen.AddRange(((TensorBuffer<float>)batch.Features).Memory.Span);
        }

        Assert.Equal(96, seen.Count);
        Assert.Equal(96, seen.Distinct().Count());
        Assert.NotEqual(values.Take(96).Select(v => (float)v), seen);
    }
}
