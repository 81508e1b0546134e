using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.Host.Data;

/// <summary>
/// Reads another dataset's batches on a background task, up to <c>depth</c> ahead, through a bounded channel: the
/// next batch is ready while the model trains on this one. When a pass ends, the pass that usually follows (the next
/// epoch's order, or the same order for unshuffled data) starts at once, so a streamed epoch's first batch — which
/// waits for the shuffle buffer to fill — is read while validation runs.
/// </summary>
/// <remarks>
/// Each batch is copied into one of <c>depth + 2</c> buffers of its pass (those in the channel, the one being
/// filled, and the one the consumer holds), so the source may reuse its own buffers as the contract allows.
/// </remarks>
/// <param name="inner">The dataset to read ahead.</param>
/// <param name="depth">How many batches may wait ready; at least 1.</param>
internal sealed class PrefetchingDataset(IBatchedDataset inner, int depth) : IBatchedDataset, IDisposable
{
    private readonly Lock _gate = new();
    private Pass? _ahead;
    private bool _disposed;

    /// <inheritdoc/>
    public DataSchema Schema => inner.Schema;

    /// <inheritdoc/>
    public long? Count => inner.Count;

    /// <inheritdoc/>
    /// <remarks>Storage order is read as it comes: only batches are read ahead.</remarks>
    public IAsyncEnumerable<DataBatch> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadBatchesAsync(BatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Pass pass = Take(options);
        bool finished = false;
        try
        {
            ChannelReader<DataBatch> ready = pass.Ready;
            while (await ready.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (ready.TryRead(out DataBatch? batch))
                {
                    yield return batch;
                }
            }
            finished = true;
        }
        finally
        {
            // The consumer stopped (the end, a limit, an error): the producer must not touch the buffers any more.
            await pass.StopAsync().ConfigureAwait(false);
        }
        if (finished)
        {
            ReadAhead(options.Shuffle ? options with { Epoch = options.Epoch + 1 } : options);
        }
    }

    /// <summary>Stops a pass read ahead that nobody asked for.</summary>
    public void Dispose()
    {
        Pass? ahead;
        lock (_gate)
        {
            _disposed = true;
            (ahead, _ahead) = (_ahead, null);
        }
        ahead?.StopAsync().AsTask().GetAwaiter().GetResult();
    }

    // The pass read ahead when it is the one asked for; otherwise a new one (and the guess is dropped).
    private Pass Take(BatchOptions options)
    {
        Pass? ahead;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            (ahead, _ahead) = (_ahead, null);
        }
        if (ahead is not null && ahead.Options == options)
        {
            return ahead;
        }
        ahead?.StopAsync().AsTask().GetAwaiter().GetResult();
        return Pass.Start(inner, options, depth);
    }

    private void ReadAhead(BatchOptions options)
    {
        lock (_gate)
        {
            if (!_disposed && _ahead is null)
            {
                _ahead = Pass.Start(inner, options, depth);
            }
        }
    }

    /// <summary>One pass over the inner dataset, produced on a background task into a bounded channel.</summary>
    private sealed class Pass
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<DataBatch> _ready;
        private Task _producer = Task.CompletedTask;

        private Pass(BatchOptions options, int depth)
        {
            Options = options;
            _ready = Channel.CreateBounded<DataBatch>(new BoundedChannelOptions(depth)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        public BatchOptions Options { get; }

        public ChannelReader<DataBatch> Ready => _ready.Reader;

        public static Pass Start(IBatchedDataset inner, BatchOptions options, int depth)
        {
            var pass = new Pass(options, depth);
            pass._producer = Task.Run(() => pass.ProduceAsync(inner, depth), CancellationToken.None);
            return pass;
        }

        public async ValueTask StopAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _producer.ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task ProduceAsync(IBatchedDataset inner, int depth)
        {
            CancellationToken cancellationToken = _stop.Token;
            var buffers = new BatchBuilder?[depth + 2];
            int next = 0;
            try
            {
                await foreach (DataBatch batch in inner.ReadBatchesAsync(Options, cancellationToken).ConfigureAwait(false))
                {
                    BatchBuilder buffer = buffers[next] ??= new BatchBuilder(inner.Schema, Math.Max(Options.BatchSize, batch.Count), BatchBuilder.TargetWidthOf(batch));
                    next = (next + 1) % buffers.Length;
                    buffer.Clear();
                    buffer.AddRange(batch, 0, batch.Count);
                    await _ready.Writer.WriteAsync(buffer.ToBatch(), cancellationToken).ConfigureAwait(false);
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
}
