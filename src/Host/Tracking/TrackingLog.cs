using Microsoft.Extensions.Logging;

namespace Conduit.Host.Tracking;

/// <summary>The tracking area's log messages, source-generated.</summary>
internal static partial class TrackingLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment logger {ExperimentLogger} failed in {Hook}: {Error}; it keeps receiving the run's messages")]
    public static partial void LoggerFailed(ILogger logger, string experimentLogger, string hook, string error, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment logger {ExperimentLogger} failed on {Count} messages in all")]
    public static partial void LoggerFailedAgain(ILogger logger, string experimentLogger, long count);
}
