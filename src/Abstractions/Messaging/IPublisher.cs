namespace Conduit.Messaging;

/// <summary>Publishes messages of type <typeparamref name="T"/> to every subscriber of the bus.</summary>
/// <typeparam name="T">The message type; one topic per type.</typeparam>
public interface IPublisher<in T>
{
    /// <summary>
    /// Delivers <paramref name="message"/> to the synchronous handlers on this thread and queues it for the
    /// asynchronous ones. Returns when the synchronous handlers have run; blocks only while an asynchronous
    /// handler's buffer is full. Never throws because a handler did.
    /// </summary>
    void Publish(T message);

    /// <summary>
    /// As <see cref="Publish"/>, but awaits (rather than blocks) while an asynchronous handler's buffer is full.
    /// </summary>
    ValueTask PublishAsync(T message, CancellationToken cancellationToken = default);
}
