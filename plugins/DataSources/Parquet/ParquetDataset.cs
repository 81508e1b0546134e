using System.Runtime.CompilerServices;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Parquet;

/// <summary>
/// A Parquet file read row group by row group: each group's label and feature columns are read, then laid out as
/// rows in one block per group. Memory is bounded by the largest row group whatever the file's size, and the buffers
/// are reused from group to group.
/// </summary>
/// <param name="settings">The job's settings.</param>
/// <param name="schema">The schema found when the file was opened.</param>
/// <param name="classIndex">Each label's class index (classification).</param>
/// <param name="count">The rows kept when the file was opened.</param>
internal sealed class ParquetDataset(ParquetSettings settings, DataSchema schema, Dictionary<string, long> classIndex, long count)
    : IDataset
{
    /// <inheritdoc/>
    public DataSchema Schema => schema;

    /// <inheritdoc/>
    public long? Count => count;

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using ParquetTable table = await ParquetTable.OpenAsync(settings).ConfigureAwait(false);
        var walk = new RowGroupWalk(table, Schema.Target, settings.Errors);
        var block = new BatchBuilder(Schema, Math.Max(1, walk.Capacity));
        // Rows the check at opening left out are left out again; a bad one stops here only if the file changed since.
        var tally = new RowTally(settings.Errors, table.Name);
        var scratch = new char[ClassLabelColumn.MaxIntegerLength];
        var target = new float[1];
        Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> classes = classIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        while (await walk.ReadNextAsync().ConfigureAwait(false) is { } group)
        {
            cancellationToken.ThrowIfCancellationRequested();
            block.Clear();
            for (int row = 0; row < group.Rows; row++)
            {
                RowOutcome outcome = group.Check(row, out string? problem);
                if (outcome != RowOutcome.Kept)
                {
                    if (outcome == RowOutcome.Bad)
                    {
                        tally.Bad(problem!);
                    }
                    continue;
                }
                group.CopyFeatures(row, block.NextFeatures());
                switch (Schema.Target)
                {
                    case TargetKind.Classification:
                        block.Commit(ClassOf(classes, table, group, row, scratch));
                        break;
                    case TargetKind.Regression:
                        target[0] = group.Target(row);
                        block.Commit(target);
                        break;
                    default:
                        block.Commit();
                        break;
                }
            }
            if (block.Count > 0)
            {
                yield return block.ToBatch();
            }
        }
    }

    private long ClassOf(Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> classes, ParquetTable table, RowGroup group, int row, char[] scratch)
    {
        ReadOnlySpan<char> label = group.Label(row, scratch);
        return classes.TryGetValue(label, out long index)
            ? index
            : throw new InvalidDataException($"{table.Name}: row group {group.Index}, row {group.FirstRow + row + 1}, column '{table.Label!.Name}': class '{label}' was not in the file when it was opened; expected one of {string.Join(", ", Schema.ClassNames)} (was the file changed?)");
    }
}
