using Microsoft.Extensions.Logging;

namespace Conduit.DataSources.Parquet;

/// <summary>The parquet source's log messages, source-generated.</summary>
internal static partial class ParquetLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Skipped} bad rows of {File} (on_error: skip) and kept {Kept}; the first: {Reasons}")]
    public static partial void SkippedRows(ILogger logger, long skipped, string file, long kept, string reasons);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Skipped} rows of {File} with missing values (missing: skip) and kept {Kept}")]
    public static partial void MissingRows(ILogger logger, long skipped, string file, long kept);

    [LoggerMessage(Level = LogLevel.Information, Message = "Filled {Filled} missing values of {File} with {FillValue} (missing: fill)")]
    public static partial void FilledValues(ILogger logger, long filled, string file, float fillValue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checked {Rows} rows in {Groups} row groups of {Features} features in {File} in {Milliseconds:F1} ms")]
    public static partial void Scanned(ILogger logger, long rows, int groups, int features, string file, double milliseconds);
}
