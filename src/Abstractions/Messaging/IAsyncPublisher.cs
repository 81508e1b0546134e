namespace Conduit.Messaging;

/// <summary>Publishes messages of type <typeparamref name="T"/>, waiting asynchronously when a buffer is full.</summary>
/// <typeparam name="T">The message type; the topic is shared with <see cref="IPublisher{T}"/>.</typeparam>
public interface IAsyncPublisher<in T>
{
    /// <summary>
    /// Delivers <paramref name="message"/> to the synchronous handlers and queues it for the asynchronous ones,
    /// awaiting (rather than blocking) while an asynchronous subscriber's buffer is full.
    /// </summary>
    ValueTask PublishAsync(T message, CancellationToken cancellationToken = default);
}
