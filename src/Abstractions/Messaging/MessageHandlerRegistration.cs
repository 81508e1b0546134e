namespace Conduit.Messaging;

/// <summary>
/// A handler registered in the service container that the host subscribes when it starts; created by
/// <see cref="MessagingServiceCollectionExtensions"/>. Listed by <c>conduit plugins inspect</c>.
/// </summary>
public sealed class MessageHandlerRegistration
{
    private readonly Func<IServiceProvider, IDisposable> _subscribe;

    internal MessageHandlerRegistration(Type messageType, Type handlerType, SubscriptionMode mode, Func<IServiceProvider, IDisposable> subscribe)
    {
        MessageType = messageType;
        HandlerType = handlerType;
        Mode = mode;
        _subscribe = subscribe;
    }

    /// <summary>The message type the handler receives.</summary>
    public Type MessageType { get; }

    /// <summary>The handler's type.</summary>
    public Type HandlerType { get; }

    /// <summary>Synchronous or buffered.</summary>
    public SubscriptionMode Mode { get; }

    /// <summary>Resolves the handler and subscribes it; dispose the result to unsubscribe.</summary>
    public IDisposable Subscribe(IServiceProvider services) => _subscribe(services);
}
