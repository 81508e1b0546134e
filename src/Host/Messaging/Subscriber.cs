using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>Resolved for <see cref="ISubscriber{T}"/>; forwards to the bus's one topic of <typeparamref name="T"/>.</summary>
internal sealed class Subscriber<T>(MessageBus bus) : ISubscriber<T>
{
    private readonly Topic<T> _topic = bus.GetTopic<T>();

    public IDisposable Subscribe(IMessageHandler<T> handler) => _topic.Subscribe(handler);
}
