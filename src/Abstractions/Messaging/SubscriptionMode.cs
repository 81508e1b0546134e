namespace Conduit.Messaging;

/// <summary>How a subscription receives messages.</summary>
public enum SubscriptionMode
{
    /// <summary>On the publisher's thread, inside <see cref="IPublisher{T}.Publish"/>.</summary>
    Synchronous,

    /// <summary>From a bounded buffer, one message at a time, on the thread pool.</summary>
    Asynchronous,
}
