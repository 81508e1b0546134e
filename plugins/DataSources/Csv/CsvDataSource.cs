using System.Diagnostics;
using Conduit.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.DataSources.Csv;

/// <summary>
/// The <c>csv</c> data source: reads a CSV file named by the job's <c>data</c> section (<c>path</c>, <c>label</c>,
/// <c>task</c>, <c>features</c>, <c>header</c>, <c>delimiter</c>, <c>on_error</c>, <c>shape</c>) into memory.
/// </summary>
/// <param name="logger">Where skipped rows are reported; none when null.</param>
public sealed class CsvDataSource(ILogger<CsvDataSource>? logger = null) : IDataSource
{
    private readonly ILogger _logger = logger ?? NullLogger<CsvDataSource>.Instance;

    /// <inheritdoc/>
    public string Name => "csv";

    /// <inheritdoc/>
    /// <remarks>The dataset is an <see cref="InMemoryDataset"/>; rows skipped by <c>on_error: skip</c> are logged as a warning.</remarks>
    public IDataset Open(IConfiguration settings) => Read(settings).Dataset;

    /// <summary>Reads the file described by <paramref name="settings"/>, with the count of skipped bad rows and why.</summary>
    /// <exception cref="InvalidDataException">
    /// A setting is not allowed, or the file is missing, empty or malformed; the message names
    /// <c>file:line:col N (name)</c>, the value and what was expected.
    /// </exception>
    public CsvReadResult Read(IConfiguration settings)
    {
        long started = Stopwatch.GetTimestamp();
        CsvSettings parsed = CsvSettings.Read(settings);
        CsvReadResult result = CsvLoader.Load(parsed);
        string path = Path.GetFullPath(parsed.Path);
        if (result.SkippedRows > 0)
        {
            CsvLog.SkippedRows(_logger, result.SkippedRows, path, result.Dataset.Length, string.Join(" | ", result.SkipReasons));
        }
        CsvLog.Read(_logger, result.Dataset.Length, (int)result.Dataset.Schema.FeatureShape.ElementCount, path, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }
}
