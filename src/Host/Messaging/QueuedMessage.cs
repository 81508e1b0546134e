namespace Conduit.Host.Messaging;

/// <summary>
/// An item in an asynchronous subscription's buffer: a message, or a drain marker that the consumer completes when
/// it reaches it. The buffer is FIFO, so reaching the marker means every message queued before it was handled.
/// </summary>
/// <remarks>A struct, so a struct message is stored in the buffer without boxing.</remarks>
internal readonly struct QueuedMessage<T>
{
    private QueuedMessage(T message, TaskCompletionSource? drained)
    {
        Message = message;
        Drained = drained;
    }

    public T Message { get; }

    public TaskCompletionSource? Drained { get; }

    public static QueuedMessage<T> For(T message) => new(message, null);

    public static QueuedMessage<T> Marker(TaskCompletionSource drained) => new(default!, drained);
}
