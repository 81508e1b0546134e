using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>Resolved for <see cref="IAsyncPublisher{T}"/>; forwards to the bus's one topic of <typeparamref name="T"/>.</summary>
internal sealed class AsyncPublisher<T>(MessageBus bus) : IAsyncPublisher<T>
{
    private readonly Topic<T> _topic = bus.GetTopic<T>();

    public ValueTask PublishAsync(T message, CancellationToken cancellationToken = default) =>
        _topic.PublishAsync(message, cancellationToken);
}
