using System.Runtime.CompilerServices;
using Conduit.Data;

namespace Conduit.DataSources.Parquet;

/// <summary>
/// A Parquet file read row group by row group: each group's label and feature columns are read, then laid out as
/// rows. Memory is bounded by one row group whatever the file's size.
/// </summary>
internal sealed class ParquetDataset(ParquetSettings settings, DataSchema schema, IReadOnlyDictionary<string, long> classIndex, long count)
    : StreamingDataset(schema, count)
{
    /// <inheritdoc/>
    public override async IAsyncEnumerable<DataBatch> ReadExamplesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using ParquetTable table = await ParquetTable.OpenAsync(settings).ConfigureAwait(false);
        var walk = new RowGroupWalk(table, settings);
        var target = new float[1];
        for (int g = 0; g < table.Reader.RowGroupCount; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RowGroup group = await walk.ReadAsync(g).ConfigureAwait(false);
            var block = new BatchBuilder(Schema, Math.Max(1, group.Rows));
            for (int row = 0; row < group.Rows; row++)
            {
                // Rows the scan at opening left out are left out again; a bad one would have stopped it there.
                if (group.Check(row, out _) != RowOutcome.Kept)
                {
                    continue;
                }
                group.CopyFeatures(row, block.NextFeatures());
                if (group.Values is { } values)
                {
                    target[0] = values[row];
                }
                block.Commit(group.Labels is { } labels ? classIndex[labels[row]!] : 0, target);
            }
            if (block.Count > 0)
            {
                yield return block.ToBatch();
            }
        }
    }
}
