namespace Conduit.Messaging;

/// <summary>Handles messages of type <typeparamref name="T"/> synchronously, on the publisher's thread.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>
/// A synchronous handler runs inside <see cref="IPublisher{T}.Publish"/>: keep it short (a field update, a decision),
/// or subscribe an <see cref="IAsyncMessageHandler{T}"/>, which gets a buffer of its own. An exception thrown here is
/// caught, logged and counted by the bus; the publisher and the other handlers go on.
/// </remarks>
public interface IMessageHandler<in T>
{
    /// <summary>Handles one message.</summary>
    void Handle(T message);
}
