using Conduit.Host.Data;

namespace Conduit.Data.Tests.Streaming;

public sealed class PrefetchingDatasetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)] // buffers given back to the producer four at a time
    public async Task Batches_arrive_in_the_same_order_with_the_same_contents(int depth)
    {
        StreamingDataset inner = new ArrayStream(1000, 37).Streamed(100);
        var options = new BatchOptions(16, Shuffle: true, Seed: 5, Epoch: 2);

        List<int[]> direct = await ArrayStream.Ids(inner, options);
        List<int[]> prefetched = await ArrayStream.Ids(new PrefetchingDataset(inner, depth), options);

        Assert.Equal(direct, prefetched);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public async Task A_batch_stays_intact_while_later_ones_are_read_ahead(int depth)
    {
        var dataset = new PrefetchingDataset(new ArrayStream(200, 7).Streamed(), depth);
        var seen = new List<float>();

        await foreach (DataBatch batch in dataset.ReadBatchesAsync(new BatchOptions(4)))
        {
            float first = ((TensorBuffer<float>)batch.Features).Memory.Span[0];
            await Task.Delay(2); // the producer fills every other buffer meanwhile
            Assert.Equal(first, ((TensorBuffer<float>)batch.Features).Memory.Span[0]);
            seen.Add(first);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 4f), seen);
    }

    [Fact]
    public async Task A_failure_while_reading_ahead_reaches_the_consumer_after_the_good_batches()
    {
        var dataset = new PrefetchingDataset(new ArrayStream(100, 10) { FailAfter = 45 }.Streamed(), depth: 2);
        int rows = 0;

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (DataBatch batch in dataset.ReadBatchesAsync(new BatchOptions(5)))
            {
                rows += batch.Count;
            }
        });

        Assert.Equal("stream.bin: row 45 is cut short", e.Message);
        Assert.Equal(40, rows); // every whole block before the failure (the one holding row 45 never arrives)
    }

    [Fact]
    public async Task Leaving_early_stops_the_reader()
    {
        var dataset = new PrefetchingDataset(new ArrayStream(1_000_000, 100).Streamed(), depth: 2);
        int batches = 0;

        await foreach (DataBatch _ in dataset.ReadBatchesAsync(new BatchOptions(10)))
        {
            if (++batches == 3)
            {
                break;
            }
        }

        Assert.Equal(3, batches);
        // The producer was awaited when the loop ended: a second pass starts cleanly.
        Assert.Equal(4, (await ArrayStream.Ids(dataset, new BatchOptions(4))).Take(1).Single().Length);
    }

    [Fact]
    public async Task The_next_epoch_is_read_ahead_when_a_pass_ends_and_a_wrong_guess_costs_only_a_restart()
    {
        var source = new ArrayStream(300, 50);
        StreamingDataset inner = source.Streamed(300);
        using var dataset = new PrefetchingDataset(inner, depth: 2);
        var epoch = new BatchOptions(32, Shuffle: true, Seed: 3, Epoch: 0);

        List<int[]> first = await ArrayStream.Ids(dataset, epoch);
        Assert.True(SpinWait.SpinUntil(() => source.Passes == 2, TimeSpan.FromSeconds(10))); // epoch 1 started as soon as epoch 0 ended
        List<int[]> second = await ArrayStream.Ids(dataset, epoch with { Epoch = 1 });
        Assert.True(SpinWait.SpinUntil(() => source.Passes == 3, TimeSpan.FromSeconds(10))); // served by the pass read ahead; epoch 2 is now ahead
        Thread.Sleep(50);
        Assert.Equal(3, source.Passes);
        List<int[]> unexpected = await ArrayStream.Ids(dataset, epoch with { Epoch = 7 });

        Assert.Equal(await ArrayStream.Ids(inner, epoch with { Epoch = 1 }), second);
        Assert.Equal(await ArrayStream.Ids(inner, epoch with { Epoch = 7 }), unexpected);
        Assert.NotEqual(first, second);
    }
}
