using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>The counters of one topic (one message type).</summary>
/// <param name="MessageType">The message type.</param>
/// <param name="Published">How many messages were published to the topic.</param>
/// <param name="Subscriptions">The current subscriptions.</param>
public sealed record TopicSnapshot(Type MessageType, long Published, IReadOnlyList<SubscriptionSnapshot> Subscriptions);
