namespace Conduit.Messaging;

/// <summary>Handles messages of type <typeparamref name="T"/> asynchronously, one at a time, in publish order.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>
/// Each asynchronous subscription has a bounded buffer: the publisher only waits when the buffer is full, and the
/// host drains every buffer when a run ends and on shutdown, so no message is lost. An exception thrown here is
/// caught, logged and counted; the next message is delivered as usual.
/// </remarks>
public interface IAsyncMessageHandler<in T>
{
    /// <summary>Handles one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Signalled when the host shuts down without draining.</param>
    ValueTask HandleAsync(T message, CancellationToken cancellationToken);

    /// <summary>
    /// How many messages may wait for this handler before publishers wait for room; at least 1; 4096 by default.
    /// A larger buffer absorbs longer bursts (a logger flushing to disk); memory grows with it.
    /// </summary>
    int Capacity => 4096;
}
