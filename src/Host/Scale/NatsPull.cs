using NATS.Client.JetStream;

namespace Conduit.Host.Scale;

/// <summary>One pull from a durable consumer, as both sides read their stream: the next message, or null after five idle seconds or a stop.</summary>
internal static class NatsPull
{
    private static readonly NatsJSNextOpts Wait = new() { Expires = TimeSpan.FromSeconds(5) };

    public static async Task<INatsJSMsg<byte[]>?> NextAsync(INatsJSConsumer consumer, CancellationToken stop)
    {
        try
        {
            return await consumer.NextAsync<byte[]>(opts: Wait, cancellationToken: stop).ConfigureAwait(false) is { Data: not null } message ? message : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
