using System.Diagnostics;
using Conduit.Data;
using Conduit.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.DataSources.Csv;

/// <summary>
/// The <c>csv</c> data source: a CSV file named by the job's <c>data</c> section (<c>path</c>, <c>label</c>,
/// <c>task</c>, <c>features</c>, <c>header</c>, <c>delimiter</c>, <c>on_error</c>, <c>missing</c>, <c>fill_value</c>,
/// <c>shape</c>), checked whole when opened and then streamed.
/// </summary>
/// <param name="logger">Where skipped rows are reported; none when null.</param>
public sealed class CsvDataSource(ILogger<CsvDataSource>? logger = null) : IDataSource
{
    private readonly ILogger _logger = logger ?? NullLogger<CsvDataSource>.Instance;

    /// <inheritdoc/>
    public string Name => "csv";

    /// <inheritdoc/>
    /// <remarks>
    /// Opening parses the whole file once, so a bad row stops the job before training (or, under <c>on_error: skip</c>,
    /// is counted and logged as a warning); the dataset then streams the file on every pass.
    /// </remarks>
    public IDataset Open(SettingsReader settings)
    {
        long started = Stopwatch.GetTimestamp();
        CsvSettings parsed = CsvSettings.Read(settings);
        CsvScan scan = CsvScan.Run(parsed);
        string path = Path.GetFullPath(parsed.Path);
        if (scan.Rows.BadRows > 0)
        {
            CsvLog.SkippedRows(_logger, scan.Rows.BadRows, path, scan.Rows.Kept, string.Join(" | ", scan.Rows.Reasons));
        }
        if (scan.Rows.MissingRows > 0)
        {
            CsvLog.MissingRows(_logger, scan.Rows.MissingRows, path, scan.Rows.Kept);
        }
        if (scan.FilledValues > 0)
        {
            CsvLog.FilledValues(_logger, scan.FilledValues, path, parsed.Errors.FillValue);
        }
        CsvLog.Scanned(_logger, scan.Rows.Kept, (int)scan.Schema.FeatureShape.ElementCount, path, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new CsvDataset(parsed, scan);
    }
}
