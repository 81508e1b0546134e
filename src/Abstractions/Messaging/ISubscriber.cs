namespace Conduit.Messaging;

/// <summary>Subscribes synchronous handlers to messages of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface ISubscriber<out T>
{
    /// <summary>Subscribes <paramref name="handler"/>; dispose the result to unsubscribe (safe during a publish).</summary>
    IDisposable Subscribe(IMessageHandler<T> handler);
}
