using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>Resolved for <see cref="IAsyncSubscriber{T}"/>; forwards to the bus's one topic of <typeparamref name="T"/>.</summary>
internal sealed class AsyncSubscriber<T>(MessageBus bus) : IAsyncSubscriber<T>
{
    private readonly Topic<T> _topic = bus.GetTopic<T>();

    public IDisposable Subscribe(IAsyncMessageHandler<T> handler, AsyncSubscriptionOptions? options = null) =>
        _topic.Subscribe(handler, options);
}
