namespace Conduit.Messaging;

/// <summary>Subscribes handlers to messages of type <typeparamref name="T"/>; dispose a result to unsubscribe.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>
/// A plugin whose handlers live as long as the host registers them as services instead
/// (<c>services.AddSingleton&lt;IMessageHandler&lt;EpochEnded&gt;, MyHandler&gt;()</c>, or an
/// <see cref="IAsyncMessageHandler{T}"/>): the host subscribes every registered handler when it starts.
/// </remarks>
public interface ISubscriber<T>
{
    /// <summary>Subscribes <paramref name="handler"/> on the publisher's thread; unsubscribing is safe during a publish.</summary>
    IDisposable Subscribe(IMessageHandler<T> handler);

    /// <summary>Subscribes <paramref name="handler"/> synchronously.</summary>
    IDisposable Subscribe(Action<T> handler);

    /// <summary>
    /// Subscribes <paramref name="handler"/> with a buffer of its own (<see cref="IAsyncMessageHandler{T}.Capacity"/>
    /// messages); it sees one message at a time, in publish order. Unsubscribing lets it handle what is buffered first.
    /// </summary>
    IDisposable Subscribe(IAsyncMessageHandler<T> handler);

    /// <summary>Subscribes <paramref name="handler"/> asynchronously, with a buffer of 4096 messages.</summary>
    IDisposable Subscribe(Func<T, CancellationToken, ValueTask> handler);
}
