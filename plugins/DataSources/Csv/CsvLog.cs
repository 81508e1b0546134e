using Microsoft.Extensions.Logging;

namespace Conduit.DataSources.Csv;

/// <summary>The csv source's log messages, source-generated.</summary>
internal static partial class CsvLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Skipped} bad rows of {Path} (on_error: skip) and kept {Kept}; the first: {Reasons}")]
    public static partial void SkippedRows(ILogger logger, int skipped, string path, long kept, string reasons);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read {Rows} rows of {Features} features from {Path} in {Milliseconds:F1} ms")]
    public static partial void Read(ILogger logger, long rows, int features, string path, double milliseconds);
}
