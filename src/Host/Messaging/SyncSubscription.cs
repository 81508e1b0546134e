using Conduit.Messaging;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Messaging;

/// <summary>A handler called on the publisher's thread; disposing it removes it from the topic.</summary>
internal sealed class SyncSubscription<T> : Subscription, IDisposable
{
    private readonly Topic<T> _topic;

    // Delivered is derived (published since subscribing, minus faults) so the publish path needs no counter per handler.
    private readonly long _publishedBefore;

    public SyncSubscription(Topic<T> topic, IMessageHandler<T> handler, long id, long publishedBefore, ILogger logger)
        : base(id, DisplayName(handler), handler.GetType(), typeof(T), logger)
    {
        _topic = topic;
        Handler = handler;
        _publishedBefore = publishedBefore;
    }

    public IMessageHandler<T> Handler { get; }

    public void Dispose() => _topic.Remove(this);

    /// <remarks>
    /// A publish that is running while this is read already counts as delivered, and one that raced with the
    /// subscription itself may be missed: close enough for diagnostics, and free on the publish path.
    /// </remarks>
    public override SubscriptionSnapshot GetSnapshot()
    {
        long faulted = Faulted;
        long delivered = Math.Max(0, _topic.Published - _publishedBefore - faulted);
        return new SubscriptionSnapshot(Id, Name, HandlerType, SubscriptionMode.Synchronous, delivered, faulted, 0, 0);
    }
}
