using System.Runtime.CompilerServices;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Csv;

/// <summary>
/// A CSV file read as a stream of examples: every pass parses the file again, straight into reused block buffers,
/// so memory stays bounded whatever the file's size. The rows kept are those <see cref="CsvScan"/> kept.
/// </summary>
internal sealed class CsvDataset(CsvSettings settings, CsvScan scan) : IDataset
{
    /// <summary>Examples per block: large enough to amortize the per-block work, small enough to stay in cache.</summary>
    private const int BlockRows = 1024;

    /// <inheritdoc/>
    public DataSchema Schema => scan.Schema;

    /// <inheritdoc/>
    public long? Count => scan.Rows.Kept;

    /// <summary>What the scan found: counts of skipped and filled values for the report.</summary>
    public CsvScan Scan => scan;

    /// <inheritdoc/>
    public async IAsyncEnumerable<DataBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using CsvFile file = CsvFile.Open(settings);
        CsvRecordReader records = file.Records;
        var parser = new CsvRowParser(scan.Layout, settings.Task, file.Name, settings.Header, settings.Errors);
        var lookup = new Dictionary<string, long>(scan.ClassIndex, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        var block = new BatchBuilder(Schema, BlockRows);
        var value = new float[1];
        bool pending = !settings.Header;
        while (pending || file.Read())
        {
            pending = false;
            file.ThrowOnQuoteProblem(isHeader: false);
            CsvRowOutcome outcome = parser.Parse(records, block.NextFeatures(), out value[0], out string? problem);
            if (outcome == CsvRowOutcome.Bad && !settings.SkipBadRows)
            {
                throw new InvalidDataException($"{problem} (the file changed after it was opened)");
            }
            if (outcome != CsvRowOutcome.Kept)
            {
                continue;
            }
            long classIndex = 0;
            if (parser.Target == TargetKind.Classification && !lookup.TryGetValue(parser.Label(records), out classIndex))
            {
                throw new InvalidDataException($"{file.Name}:{records.Line}: label {CsvRowParser.Quote(parser.Label(records))} was not in the file when it was opened; expected one of {string.Join(", ", Schema.ClassNames)}");
            }
            block.Commit(classIndex, value);
            if (block.IsFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return block.ToBatch();
                block.Clear();
            }
        }
        if (block.Count > 0)
        {
            yield return block.ToBatch();
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
