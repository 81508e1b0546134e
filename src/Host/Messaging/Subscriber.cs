using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>Resolved for <see cref="ISubscriber{T}"/>; forwards to the bus's one topic of <typeparamref name="T"/>.</summary>
internal sealed class Subscriber<T>(MessageBus bus) : ISubscriber<T>
{
    private readonly Topic<T> _topic = bus.GetTopic<T>();

    public IDisposable Subscribe(IMessageHandler<T> handler) => _topic.Subscribe(handler);

    public IDisposable Subscribe(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _topic.Subscribe(new DelegateHandler(handler));
    }

    public IDisposable Subscribe(IAsyncMessageHandler<T> handler) => _topic.Subscribe(handler);

    public IDisposable Subscribe(Func<T, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _topic.Subscribe(new AsyncDelegateHandler(handler));
    }

    // Named after the method's declaring type, so diagnostics show who subscribed.
    private sealed class DelegateHandler(Action<T> handler) : IMessageHandler<T>
    {
        public void Handle(T message) => handler(message);

        public override string ToString() => handler.Method.DeclaringType?.FullName ?? handler.Method.Name;
    }

    private sealed class AsyncDelegateHandler(Func<T, CancellationToken, ValueTask> handler) : IAsyncMessageHandler<T>
    {
        public ValueTask HandleAsync(T message, CancellationToken cancellationToken) => handler(message, cancellationToken);

        public override string ToString() => handler.Method.DeclaringType?.FullName ?? handler.Method.Name;
    }
}
