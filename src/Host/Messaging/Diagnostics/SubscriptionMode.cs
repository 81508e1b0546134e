namespace Conduit.Host.Messaging;

/// <summary>How a subscription receives messages.</summary>
public enum SubscriptionMode
{
    /// <summary>On the publisher's thread, inside <c>IPublisher&lt;T&gt;.Publish</c>.</summary>
    Synchronous,

    /// <summary>From a bounded buffer, one message at a time, on the thread pool.</summary>
    Asynchronous,
}
