using Microsoft.Extensions.Logging;

namespace Conduit.DataSources.Csv;

/// <summary>The csv source's log messages, source-generated.</summary>
internal static partial class CsvLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Skipped} bad rows of {Path} (on_error: skip) and kept {Kept}; the first: {Reasons}")]
    public static partial void SkippedRows(ILogger logger, long skipped, string path, long kept, string reasons);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Skipped} rows of {Path} with missing values (missing: skip) and kept {Kept}")]
    public static partial void MissingRows(ILogger logger, long skipped, string path, long kept);

    [LoggerMessage(Level = LogLevel.Information, Message = "Filled {Filled} missing values of {Path} with {FillValue} (missing: fill)")]
    public static partial void FilledValues(ILogger logger, long filled, string path, float fillValue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checked {Rows} rows of {Features} features in {Path} in {Milliseconds:F1} ms")]
    public static partial void Scanned(ILogger logger, long rows, int features, string path, double milliseconds);
}
