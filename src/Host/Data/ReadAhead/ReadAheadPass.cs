using System.Threading.Channels;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.Host.Data;

/// <summary>
/// One pass over a dataset's batches, produced on a background task into <c>depth + 1</c> buffers of its own (the
/// source may reuse its buffers, as the contract allows) and taken in order by one consumer.
/// </summary>
/// <remarks>
/// Handing a batch over must cost far less than reading it. A bounded channel wakes its waiting writer on every read,
/// and that wake-up, on the consumer's thread, took as long as gathering a batch of 64 MNIST rows (20–40 µs). Here the
/// consumer gives buffers back to the producer in groups of half the buffers, so the producer is woken once per group
/// and taking a ready batch is a lock-free read of a single-reader channel.
/// </remarks>
internal sealed class ReadAheadPass
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<DataBatch> _ready = Channel.CreateUnbounded<DataBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _free;
    private readonly int _returnEvery;
    private int _returned;
    private bool _holding;
    private Task _producer = Task.CompletedTask;

    private ReadAheadPass(BatchOptions options, int buffers)
    {
        Options = options;
        Buffers = buffers;
        _free = new SemaphoreSlim(buffers, buffers);
        // At most half the buffers wait to be given back: with the one the consumer holds, never all of them.
        _returnEvery = Math.Max(1, buffers / 2);
    }

    /// <summary>The pass's batch options (its order).</summary>
    public BatchOptions Options { get; }

    private int Buffers { get; }

    /// <summary>Starts reading <paramref name="inner"/>'s batches under <paramref name="options"/>, up to <paramref name="depth"/> ahead.</summary>
    public static ReadAheadPass Start(IBatchedDataset inner, BatchOptions options, int depth)
    {
        var pass = new ReadAheadPass(options, depth + 1);
        pass._producer = Task.Run(() => pass.ProduceAsync(inner), CancellationToken.None);
        return pass;
    }

    /// <summary>
    /// The next batch, valid until the next call; null at the end of the pass. The batch taken before is given back.
    /// A failure of the source is thrown here.
    /// </summary>
    public async ValueTask<DataBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (_holding)
        {
            _holding = false;
            if (++_returned == _returnEvery)
            {
                _free.Release(_returned);
                _returned = 0;
            }
        }
        ChannelReader<DataBatch> ready = _ready.Reader;
        DataBatch? batch;
        while (!ready.TryRead(out batch))
        {
            if (!await ready.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
        _holding = true;
        return batch;
    }

    /// <summary>Stops the producer and waits for it: it touches no buffer afterwards.</summary>
    public async ValueTask StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _producer.ConfigureAwait(false);
        _stop.Dispose();
        _free.Dispose();
    }

    private async Task ProduceAsync(IBatchedDataset inner)
    {
        CancellationToken cancellationToken = _stop.Token;
        var buffers = new BatchBuilder?[Buffers];
        int next = 0;
        try
        {
            await foreach (DataBatch batch in inner.ReadBatchesAsync(Options, cancellationToken).ConfigureAwait(false))
            {
                // Batches are taken in the order they are written, so the next buffer in turn is the one given back first.
                await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
                BatchBuilder buffer = buffers[next] ??= new BatchBuilder(inner.Schema, Math.Max(Options.BatchSize, batch.Count), BatchBuilder.TargetWidthOf(batch));
                next = (next + 1) % buffers.Length;
                buffer.Clear();
                buffer.AddRange(batch, 0, batch.Count);
                _ready.Writer.TryWrite(buffer.ToBatch());
            }
            _ready.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ready.Writer.TryComplete();
        }
        catch (Exception e)
        {
            // A source failing mid-pass (a file cut short) reaches the consumer as the same exception.
            _ready.Writer.TryComplete(e);
        }
    }
}
