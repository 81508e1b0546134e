using Conduit.Host.Data;
using CsCheck;

namespace Conduit.Data.Tests.Streaming;

public sealed class StreamingDatasetTests
{
    [Theory]
    [InlineData(10, 3, 4, false, new[] { 4, 4, 2 })]
    [InlineData(10, 3, 4, true, new[] { 4, 4 })]
    [InlineData(8, 8, 4, false, new[] { 4, 4 })]
    [InlineData(5, 2, 7, false, new[] { 5 })]
    [InlineData(5, 2, 7, true, new int[0])]
    public async Task Batches_are_cut_from_blocks_of_any_size_in_storage_order(int rows, int block, int batch, bool dropLast, int[] sizes)
    {
        StreamingDataset dataset = new ArrayStream(rows, block).Streamed();

        List<int[]> batches = await ArrayStream.Ids(dataset, new BatchOptions(batch, DropLast: dropLast));

        Assert.Equal(sizes, batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, sizes.Sum()), batches.SelectMany(b => b));
    }

    [Fact]
    public void Shuffling_is_a_permutation_and_the_same_seed_and_epoch_give_the_same_order()
    {
        Gen.Select(Gen.Int[1, 400], Gen.Int[1, 50], Gen.Int[1, 64], Gen.Int[1, 500], Gen.Int, Gen.Int[0, 20])
            .Sample((rows, block, batch, buffer, seed, epoch) =>
            {
                StreamingDataset dataset = new ArrayStream(rows, block).Streamed(buffer);
                var options = new BatchOptions(batch, Shuffle: true, Seed: seed, Epoch: epoch);
                int[] first = [.. ArrayStream.Ids(dataset, options).GetAwaiter().GetResult().SelectMany(b => b)];
                int[] again = [.. ArrayStream.Ids(new ArrayStream(rows, block + 1).Streamed(buffer), options).GetAwaiter().GetResult().SelectMany(b => b)];

                Assert.Equal(Enumerable.Range(0, rows), first.Order());
                Assert.Equal(first, again); // block boundaries do not change the order
            }, iter: 200);
    }

    [Fact]
    public async Task Epochs_and_seeds_change_the_order()
    {
        StreamingDataset dataset = new ArrayStream(500, 64).Streamed(1000);

        int[] epoch0 = [.. (await ArrayStream.Ids(dataset, new BatchOptions(32, true, 7, 0))).SelectMany(b => b)];
        int[] epoch1 = [.. (await ArrayStream.Ids(dataset, new BatchOptions(32, true, 7, 1))).SelectMany(b => b)];
        int[] seed8 = [.. (await ArrayStream.Ids(dataset, new BatchOptions(32, true, 8, 0))).SelectMany(b => b)];

        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(epoch0, seed8);
        Assert.NotEqual(Enumerable.Range(0, 500), epoch0);
    }

    [Fact]
    public async Task A_bounded_buffer_moves_an_example_forward_by_at_most_its_size()
    {
        const int Buffer = 50;
        StreamingDataset dataset = new ArrayStream(2000, 100).Streamed(Buffer);

        int[] order = [.. (await ArrayStream.Ids(dataset, new BatchOptions(64, true, 1, 0))).SelectMany(b => b)];

        // An example cannot leave before it has been read: position >= id - buffer.
        for (int position = 0; position < order.Length; position++)
        {
            Assert.True(position >= order[position] - Buffer, $"example {order[position]} left at position {position}");
        }
        Assert.Equal(Enumerable.Range(0, 2000), order.Order());
    }

    [Fact]
    public async Task A_dataset_loads_into_memory_in_storage_order()
    {
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(new ArrayStream(7, 3, classes: 2));

        Assert.Equal(7, loaded.Length);
        Assert.Equal([0f, 0f, 1f, -1f, 2f, -2f, 3f, -3f, 4f, -4f, 5f, -5f, 6f, -6f], loaded.Features.ToArray());
        Assert.Equal([0L, 1, 0, 1, 0, 1, 0], loaded.Classes.ToArray());
        Assert.Equal(["c0", "c1"], loaded.Schema.ClassNames);
    }

    [Fact]
    public void Streamed_and_in_memory_regression_data_give_the_same_batches_with_their_target_width()
    {
        var schema = new DataSchema(new TensorShape(1), ["x"], TargetKind.Regression, []);
        float[] features = [.. Enumerable.Range(0, 10).Select(i => (float)i)];
        float[] values = [.. Enumerable.Range(0, 10).SelectMany(i => new[] { i * 10f, i * -10f })];
        var memory = new InMemoryDataset(schema, features, values);
        var streamed = new StreamingDataset(memory); // in memory's ReadAsync is one block of every example

        var options = new BatchOptions(4);
        List<DataBatch> expected = [.. memory.ReadBatchesAsync(options).ToBlockingEnumerable().Select(Copy)];
        List<DataBatch> actual = [.. streamed.ReadBatchesAsync(options).ToBlockingEnumerable().Select(Copy)];

        Assert.Equal(expected.Select(b => b.Targets!.Shape), actual.Select(b => b.Targets!.Shape));
        Assert.Equal(new TensorShape(4, 2), actual[0].Targets!.Shape);
        Assert.Equal(expected.Select(Values), actual.Select(Values));
    }

    [Fact]
    public async Task A_block_that_is_not_what_the_contract_says_is_refused_naming_the_source()
    {
        var doubles = new DoubleFeatures();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => InMemoryDataset.LoadAsync(doubles));

        Assert.StartsWith("DoubleFeatures gave features of Double; expected Single.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uniform_numbers_depend_only_on_seed_and_index_and_spread_evenly()
    {
        double[] values = [.. Enumerable.Range(0, 100_000).Select(i => SeededShuffle.Uniform(3, i))];

        Assert.All(values, v => Assert.InRange(v, 0, 1 - 1e-12));
        Assert.Equal(values[123], SeededShuffle.Uniform(3, 123));
        Assert.NotEqual(values[123], SeededShuffle.Uniform(4, 123));
        Assert.InRange(values.Count(v => v < 0.2) / 100_000.0, 0.19, 0.21);
    }

    private static DataBatch Copy(DataBatch batch) => new(
        new TensorBuffer<float>(((TensorBuffer<float>)batch.Features).Memory.ToArray(), batch.Features.Shape),
        new TensorBuffer<float>(((TensorBuffer<float>)batch.Targets!).Memory.ToArray(), batch.Targets.Shape));

    private static float[] Values(DataBatch batch) => ((TensorBuffer<float>)batch.Targets!).Memory.ToArray();

    private sealed class DoubleFeatures : IDataset
    {
        public DataSchema Schema { get; } = new(new TensorShape(1), [], TargetKind.None, []);

        public long? Count => 1;

        public async IAsyncEnumerable<DataBatch> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new DataBatch(new TensorBuffer<double>(new double[1], new TensorShape(1, 1)), null);
            await Task.CompletedTask;
        }
    }
}
