using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Conduit.Data;

namespace Conduit.Host.Data;

/// <summary>
/// Reads another dataset's batches on a background task, up to <c>depth</c> ahead, through a bounded channel: the
/// next batch is ready while the model trains on this one. Each batch is copied into one of <c>depth + 2</c> reused
/// buffers (the ones in the channel, the one being filled, and the one the consumer holds), so the source may reuse
/// its own buffers as the contract allows.
/// </summary>
/// <param name="inner">The dataset to read ahead (float features, see <see cref="BatchBuilder"/>).</param>
/// <param name="depth">How many batches may wait ready; at least 1.</param>
internal sealed class PrefetchingDataset(IDataset inner, int depth) : IDataset
{
    /// <inheritdoc/>
    public DataSchema Schema => inner.Schema;

    /// <inheritdoc/>
    public long? Count => inner.Count;

    /// <summary>The dataset read ahead.</summary>
    public IDataset Inner => inner;

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadBatchesAsync(BatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ready = Channel.CreateBounded<DataBatch>(new BoundedChannelOptions(depth)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = Task.Run(() => ProduceAsync(options, ready.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await ready.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (ready.Reader.TryRead(out DataBatch? batch))
                {
                    yield return batch;
                }
            }
        }
        finally
        {
            // The consumer stopped (the end, a limit, an error): the producer must not touch the buffers any more.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    private async Task ProduceAsync(BatchOptions options, ChannelWriter<DataBatch> writer, CancellationToken cancellationToken)
    {
        var buffers = new BatchBuilder?[depth + 2];
        int next = 0;
        try
        {
            await foreach (DataBatch batch in inner.ReadBatchesAsync(options, cancellationToken).ConfigureAwait(false))
            {
                BatchBuilder buffer = buffers[next] ??= new BatchBuilder(inner.Schema, Math.Max(options.BatchSize, batch.Count), TargetWidth(batch));
                next = (next + 1) % buffers.Length;
                buffer.Clear();
                buffer.AddRange(batch, 0, batch.Count);
                await writer.WriteAsync(buffer.ToBatch(), cancellationToken).ConfigureAwait(false);
            }
            writer.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            writer.TryComplete();
        }
        catch (Exception e)
        {
            // A source failing mid-pass (a file cut short) reaches the consumer as the same exception.
            writer.TryComplete(e);
        }
    }

    private static int TargetWidth(DataBatch batch) =>
        batch.Targets is TensorBuffer<float> values && batch.Count > 0 ? (int)(values.Shape.ElementCount / batch.Count) : 1;
}
