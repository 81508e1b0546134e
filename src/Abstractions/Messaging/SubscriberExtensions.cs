namespace Conduit.Messaging;

/// <summary>Delegate-based subscriptions, for handlers that need no type of their own.</summary>
public static class SubscriberExtensions
{
    /// <summary>Subscribes <paramref name="handler"/> synchronously.</summary>
    public static IDisposable Subscribe<T>(this ISubscriber<T> subscriber, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(handler);
        return subscriber.Subscribe(new DelegateHandler<T>(handler));
    }

    /// <summary>Subscribes <paramref name="handler"/> asynchronously, with a bounded buffer.</summary>
    public static IDisposable Subscribe<T>(
        this IAsyncSubscriber<T> subscriber,
        Func<T, CancellationToken, ValueTask> handler,
        AsyncSubscriptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(handler);
        return subscriber.Subscribe(new AsyncDelegateHandler<T>(handler), options);
    }

    private sealed class DelegateHandler<T>(Action<T> handler) : IMessageHandler<T>
    {
        public void Handle(T message) => handler(message);

        public override string ToString() => handler.Method.DeclaringType?.FullName ?? handler.Method.Name;
    }

    private sealed class AsyncDelegateHandler<T>(Func<T, CancellationToken, ValueTask> handler) : IAsyncMessageHandler<T>
    {
        public ValueTask HandleAsync(T message, CancellationToken cancellationToken) => handler(message, cancellationToken);

        public override string ToString() => handler.Method.DeclaringType?.FullName ?? handler.Method.Name;
    }
}
