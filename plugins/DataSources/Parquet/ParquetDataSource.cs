using System.Diagnostics;
using Conduit.Data;
using Conduit.DataSources.Common;
using Conduit.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.DataSources.Parquet;

/// <summary>
/// The <c>parquet</c> data source: a Parquet file named by the job's <c>data</c> section (<c>path</c>, <c>label</c>,
/// <c>task</c>, <c>features</c>, <c>shape</c>, <c>on_error</c>, <c>missing</c>, <c>fill_value</c>). Opening checks
/// the columns the job reads, row group by row group, so that bad data fails before training and the count of kept
/// rows and the classes are known; the dataset then streams the file one row group at a time.
/// </summary>
/// <param name="logger">Where skipped rows and filled values are reported; none when null.</param>
public sealed class ParquetDataSource(ILogger<ParquetDataSource>? logger = null) : IDataSource
{
    private readonly ILogger _logger = logger ?? NullLogger<ParquetDataSource>.Instance;

    /// <inheritdoc/>
    public string Name => "parquet";

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">A setting, the file, a column or a row is bad; the message names the key or place.</exception>
    public IDataset Open(SettingsReader settings) => OpenAsync(ParquetSettings.Read(settings)).GetAwaiter().GetResult();

    private async Task<IDataset> OpenAsync(ParquetSettings settings)
    {
        long started = Stopwatch.GetTimestamp();
        await using ParquetTable table = await ParquetTable.OpenAsync(settings).ConfigureAwait(false);
        TensorShape shape = Shape(settings, table);
        TargetKind target = table.Label is null ? TargetKind.None : settings.Task;
        var walk = new RowGroupWalk(table, target, settings.Errors);
        var labels = new ClassLabels();
        var tally = new RowTally(settings.Errors, table.Name);
        var scratch = new char[ClassLabelColumn.MaxIntegerLength];
        bool fill = settings.Errors.Missing == MissingValuePolicy.Fill;
        while (await walk.ReadNextAsync().ConfigureAwait(false) is { } group)
        {
            for (int row = 0; row < group.Rows; row++)
            {
                switch (group.Check(row, out string? problem))
                {
                    case RowOutcome.Kept:
                        tally.Keep();
                        for (int filled = fill ? group.MissingFeatures(row) : 0; filled > 0; filled--)
                        {
                            tally.Fill();
                        }
                        if (target == TargetKind.Classification)
                        {
                            labels.Add(group.Label(row, scratch));
                        }
                        break;
                    case RowOutcome.Missing:
                        tally.LeaveOutMissing();
                        break;
                    default:
                        tally.Bad(problem!);
                        break;
                }
            }
        }
        tally.ThrowIfNoneKept($"{table.Name}: the file has no rows; expected at least one");
        Report(table, settings.Errors, tally, Stopwatch.GetElapsedTime(started));

        var classIndex = new Dictionary<string, long>(StringComparer.Ordinal);
        string[] classNames = [];
        if (target == TargetKind.Classification)
        {
            (classNames, int[] classOf) = labels.Finish();
            for (int i = 0; i < labels.Labels.Count; i++)
            {
                classIndex[labels.Labels[i]] = classOf[i];
            }
        }
        var schema = new DataSchema(shape, [.. table.Features.Select(f => f.Name)], target, classNames);
        return new ParquetDataset(settings, schema, classIndex, tally.Kept);
    }

    private void Report(ParquetTable table, DataErrorPolicy errors, RowTally tally, TimeSpan elapsed)
    {
        if (tally.BadRows > 0)
        {
            ParquetLog.SkippedRows(_logger, tally.BadRows, table.Name, tally.Kept, string.Join(" | ", tally.Reasons));
        }
        if (tally.MissingRows > 0)
        {
            ParquetLog.MissingRows(_logger, tally.MissingRows, table.Name, tally.Kept);
        }
        if (tally.FilledValues > 0)
        {
            ParquetLog.FilledValues(_logger, tally.FilledValues, table.Name, errors.FillValue);
        }
        ParquetLog.Scanned(_logger, tally.Kept + tally.MissingRows + tally.BadRows, table.Reader.RowGroupCount, table.Features.Length, table.Name, elapsed.TotalMilliseconds);
    }

    private static TensorShape Shape(ParquetSettings settings, ParquetTable table)
    {
        int count = table.Features.Length;
        if (settings.Shape is not { } dims)
        {
            return new TensorShape(count);
        }
        long product = dims.Aggregate(1L, (p, d) => p * d);
        if (product != count)
        {
            throw new InvalidDataException($"{table.Name}: data.shape [{string.Join(", ", dims)}] holds {product} values, but there are {count} feature columns; expected dimensions whose product is {count}");
        }
        return new TensorShape([.. dims]);
    }
}
