using Microsoft.Extensions.Logging;

namespace Conduit.Host.Training;

/// <summary>The job runner's log messages, source-generated.</summary>
internal static partial class JobRunnerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: data.split.stratify is true, but the data streams (larger than data.in_memory_limit_mb, or data.streaming: true): it is split row by row by a seeded hash, so each part keeps the class proportions only on average")]
    public static partial void StreamNotStratified(ILogger logger, string job);
}
