using Conduit.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.DataSources.Parquet;

/// <summary>
/// The <c>parquet</c> data source: a Parquet file named by the job's <c>data</c> section (<c>path</c>, <c>label</c>,
/// <c>task</c>, <c>features</c>, <c>shape</c>, <c>on_error</c>, <c>missing</c>, <c>fill_value</c>), checked whole
/// when opened (only the columns the job reads), then streamed row group by row group.
/// </summary>
/// <param name="logger">Where skipped rows are reported; none when null.</param>
public sealed class ParquetDataSource(ILogger<ParquetDataSource>? logger = null) : IDataSource
{
    private readonly ILogger _logger = logger ?? NullLogger<ParquetDataSource>.Instance;

    /// <inheritdoc/>
    public string Name => "parquet";

    /// <inheritdoc/>
    public IDataset Open(IConfiguration settings) => OpenAsync(ParquetSettings.Read(settings)).GetAwaiter().GetResult();

    private async Task<IDataset> OpenAsync(ParquetSettings settings)
    {
        await using ParquetTable table = await ParquetTable.OpenAsync(settings).ConfigureAwait(false);
        TensorShape shape = Shape(settings, table);
        var walk = new RowGroupWalk(table, settings);
        var labels = new ClassLabels();
        var tally = new RowTally(settings.Errors, table.Name);
        for (int g = 0; g < table.Reader.RowGroupCount; g++)
        {
            RowGroup group = await walk.ReadAsync(g).ConfigureAwait(false);
            for (int row = 0; row < group.Rows; row++)
            {
                switch (group.Check(row, out string? problem))
                {
                    case RowOutcome.Kept:
                        tally.Keep();
                        if (group.Labels is { } text)
                        {
                            labels.Add(text[row]);
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
        if (tally.BadRows > 0)
        {
            ParquetLog.SkippedRows(_logger, tally.BadRows, table.Name, tally.Kept, string.Join(" | ", tally.Reasons));
        }
        if (tally.MissingRows > 0)
        {
            ParquetLog.MissingRows(_logger, tally.MissingRows, table.Name, tally.Kept);
        }

        TargetKind target = table.Label is null ? TargetKind.None : settings.Task;
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
