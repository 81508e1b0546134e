using Microsoft.Extensions.Logging;

namespace Conduit.Host.Messaging;

/// <summary>The message bus's log messages, source-generated so that a fault costs no formatting until it is written.</summary>
internal static partial class BusLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Handler {Subscription} of {MessageType} threw (fault {Count}); the message is skipped, the publisher and other handlers go on")]
    public static partial void HandlerFaulted(ILogger logger, Exception exception, string subscription, string messageType, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler {Subscription} of {MessageType} has thrown more than {Logged} times; further faults are only counted (see the bus diagnostics)")]
    public static partial void FaultsSuppressed(ILogger logger, string subscription, string messageType, int logged);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not subscribe handler {HandlerType} to {MessageType}; the other handlers are subscribed")]
    public static partial void SubscribeFailed(ILogger logger, Exception exception, string handlerType, string messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unsubscribing handler {HandlerType} from {MessageType} threw")]
    public static partial void UnsubscribeFailed(ILogger logger, Exception exception, string handlerType, string messageType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message bus stopped before its buffers were drained; the messages still buffered are abandoned")]
    public static partial void StoppedWithoutDraining(ILogger logger);
}
