namespace Conduit.Messaging;

/// <summary>Subscribes asynchronous handlers, each with a bounded buffer of its own, to messages of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncSubscriber<out T>
{
    /// <summary>Subscribes <paramref name="handler"/>; dispose the result to unsubscribe after the buffered messages are handled.</summary>
    /// <param name="handler">The handler; it sees one message at a time, in publish order.</param>
    /// <param name="options">Buffer capacity and a display name; <see langword="null"/> for the defaults.</param>
    IDisposable Subscribe(IAsyncMessageHandler<T> handler, AsyncSubscriptionOptions? options = null);
}
