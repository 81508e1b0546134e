using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Conduit.Messaging;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Messaging;

/// <summary>
/// A handler fed from a bounded buffer by a consumer task of its own, one message at a time, in publish order.
/// Disposing it stops new messages; the consumer handles what is already buffered, then ends.
/// </summary>
internal sealed class AsyncSubscription<T> : Subscription, IDisposable
{
    private readonly Topic<T> _topic;
    private readonly IAsyncMessageHandler<T> _handler;
    private readonly Channel<QueuedMessage<T>> _buffer;
    private readonly CancellationToken _stopping;

    // Written only by the consumer task, so a plain increment published with a volatile write is enough.
    private long _delivered;

    public AsyncSubscription(
        Topic<T> topic,
        IAsyncMessageHandler<T> handler,
        int capacity,
        long id,
        CancellationToken stopping,
        ILogger logger)
        : base(id, DisplayName(handler), handler.GetType(), typeof(T), logger)
    {
        _topic = topic;
        _handler = handler;
        _stopping = stopping;
        Capacity = capacity;
        _buffer = Channel.CreateBounded<QueuedMessage<T>>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,

            // Otherwise a publisher that frees the reader could end up running the handler on its own thread.
            AllowSynchronousContinuations = false,
        });

        // Task.Run so that not even the consumer's first steps run on the subscribing thread.
        Completion = Task.Run(ConsumeAsync);
    }

    public int Capacity { get; }

    /// <summary>Completes when the consumer has ended: unsubscribed and emptied, or the bus stopped.</summary>
    public Task Completion { get; }

    public void Dispose() => _topic.Remove(this);

    /// <summary>Ends the buffer: what it holds is still handled, later writes are refused.</summary>
    public void Complete() => _buffer.Writer.TryComplete();

    /// <summary>Queues from a synchronous publish: blocks while the buffer is full (backpressure, never a drop).</summary>
    public void Enqueue(T message)
    {
        if (!_buffer.Writer.TryWrite(QueuedMessage<T>.For(message)))
        {
            EnqueueBlocking(message);
        }
    }

    /// <summary>Queues from an asynchronous publish: completes at once unless the buffer is full.</summary>
    public ValueTask EnqueueAsync(T message, CancellationToken cancellationToken) =>
        _buffer.Writer.TryWrite(QueuedMessage<T>.For(message)) ? default : EnqueueSlowAsync(message, cancellationToken);

    /// <summary>Completes when every message queued before this call has been handled.</summary>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _buffer.Writer.TryWrite(QueuedMessage<T>.Marker(drained))
            ? drained.Task
            : DrainSlowAsync(drained, cancellationToken);
    }

    public override SubscriptionSnapshot GetSnapshot() => new(
        Id, Name, HandlerType, SubscriptionMode.Asynchronous,
        Volatile.Read(ref _delivered), Faulted, _buffer.Reader.Count, Capacity);

    // Kept out of Enqueue so that the common path stays small; only a full buffer gets here.
    private void EnqueueBlocking(T message)
    {
        ChannelWriter<QueuedMessage<T>> writer = _buffer.Writer;
        do
        {
            ValueTask<bool> room = writer.WaitToWriteAsync();
            bool open = room.IsCompletedSuccessfully ? room.Result : room.AsTask().GetAwaiter().GetResult();
            if (!open)
            {
                // Unsubscribed (or the bus stopped) while this publish was running: no one is left to handle it.
                return;
            }
        }
        while (!writer.TryWrite(QueuedMessage<T>.For(message)));
    }

    // Pooled: a slow subscriber sends publishers here on every message, and each await would otherwise allocate.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask EnqueueSlowAsync(T message, CancellationToken cancellationToken)
    {
        ChannelWriter<QueuedMessage<T>> writer = _buffer.Writer;
        while (await writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (writer.TryWrite(QueuedMessage<T>.For(message)))
            {
                return;
            }
        }
    }

    private async Task DrainSlowAsync(TaskCompletionSource drained, CancellationToken cancellationToken)
    {
        ChannelWriter<QueuedMessage<T>> writer = _buffer.Writer;
        while (await writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (writer.TryWrite(QueuedMessage<T>.Marker(drained)))
            {
                await drained.Task.ConfigureAwait(false);
                return;
            }
        }

        // The buffer was closed first: its consumer still handles what it holds, then ends.
        await Completion.ConfigureAwait(false);
    }

    private async Task ConsumeAsync()
    {
        ChannelReader<QueuedMessage<T>> reader = _buffer.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping).ConfigureAwait(false))
            {
                while (reader.TryRead(out QueuedMessage<T> item))
                {
                    if (item.Drained is { } drained)
                    {
                        drained.TrySetResult();
                        continue;
                    }
                    try
                    {
                        await _handler.HandleAsync(item.Message, _stopping).ConfigureAwait(false);
                        Volatile.Write(ref _delivered, _delivered + 1);
                    }
                    catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception e)
                    {
                        RecordFault(e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The bus stopped without draining.
        }
        finally
        {
            // After a stop without draining, messages left are abandoned, but whoever waits on a drain marker is released.
            _buffer.Writer.TryComplete();
            while (reader.TryRead(out QueuedMessage<T> left))
            {
                left.Drained?.TrySetResult();
            }
            _topic.Retire(this);
        }
    }
}
