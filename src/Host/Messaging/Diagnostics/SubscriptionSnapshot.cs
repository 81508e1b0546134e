using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>The counters of one subscription.</summary>
/// <param name="Id">A number unique within the bus.</param>
/// <param name="Name">The subscription's name (by default the handler's type name).</param>
/// <param name="HandlerType">The handler's type: which assembly, and so which plugin, it belongs to.</param>
/// <param name="Mode">Whether the handler runs on the publisher's thread or from a buffer.</param>
/// <param name="Delivered">Messages the handler returned from normally.</param>
/// <param name="Faulted">Messages the handler threw on.</param>
/// <param name="Queued">Messages waiting in the buffer (asynchronous subscriptions; 0 otherwise).</param>
/// <param name="Capacity">The buffer's capacity (asynchronous subscriptions; 0 otherwise).</param>
public sealed record SubscriptionSnapshot(
    long Id,
    string Name,
    Type HandlerType,
    SubscriptionMode Mode,
    long Delivered,
    long Faulted,
    int Queued,
    int Capacity);
