using Conduit.Messaging;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Messaging;

/// <summary>What every subscription shares: identity for diagnostics and the fault policy.</summary>
internal abstract class Subscription
{
    // A broken handler faults on every message; logging each one would drown the log and slow the publisher.
    private const int LoggedFaults = 3;

    private readonly ILogger _logger;
    private long _faulted;

    protected Subscription(long id, string name, Type handlerType, Type messageType, ILogger logger)
    {
        Id = id;
        Name = name;
        HandlerType = handlerType;
        MessageType = messageType;
        _logger = logger;
    }

    public long Id { get; }

    public string Name { get; }

    public Type HandlerType { get; }

    public Type MessageType { get; }

    public long Faulted => Volatile.Read(ref _faulted);

    public abstract SubscriptionSnapshot GetSnapshot();

    /// <summary>Counts a handler's exception, and logs it while the subscription has faulted only a few times.</summary>
    public void RecordFault(Exception exception)
    {
        long count = Interlocked.Increment(ref _faulted);
        if (count <= LoggedFaults)
        {
            BusLog.HandlerFaulted(_logger, exception, Name, MessageType.Name, count);
        }
        else if (count == LoggedFaults + 1)
        {
            BusLog.FaultsSuppressed(_logger, Name, MessageType.Name, LoggedFaults);
        }
    }

    /// <summary>The handler's display name: the delegate's owner for delegate subscriptions, else the type's name.</summary>
    public static string DisplayName(object handler)
    {
        Type type = handler.GetType();

        // Subscriber wraps delegates in private types whose ToString names the code that subscribed.
        if (type.DeclaringType is { IsGenericType: true } owner && owner.GetGenericTypeDefinition() == typeof(Subscriber<>)
            && handler.ToString() is { Length: > 0 } described)
        {
            // A lambda's declaring type is a compiler-generated class nested in the one that wrote it.
            int generated = described.IndexOf("+<", StringComparison.Ordinal);
            return generated > 0 ? described[..generated] : described;
        }
        return TypeName(type);
    }

    private static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }
}
