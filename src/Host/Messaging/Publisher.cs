using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>
/// Resolved for <see cref="IPublisher{T}"/>: DI builds open generics itself, so this thin wrapper forwards to the
/// bus's one topic of <typeparamref name="T"/>, looked up once.
/// </summary>
internal sealed class Publisher<T>(MessageBus bus) : IPublisher<T>
{
    private readonly Topic<T> _topic = bus.GetTopic<T>();

    public void Publish(T message) => _topic.Publish(message);

    public ValueTask PublishAsync(T message, CancellationToken cancellationToken = default) =>
        _topic.PublishAsync(message, cancellationToken);
}
