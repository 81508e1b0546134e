using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Csv;

/// <summary>
/// What one pass over a CSV file found, before any training: the layout, the schema with its classes, how many rows
/// are kept and why others were left out. A bad row stops here (unless skipped), so training never meets one.
/// </summary>
/// <param name="Layout">The label and feature columns.</param>
/// <param name="Schema">The examples' schema.</param>
/// <param name="ClassIndex">Each label text's class index (classification).</param>
/// <param name="Rows">What happened to the rows: kept, skipped as bad (with reasons), left out for missing values.</param>
/// <param name="FilledValues">Missing values replaced by <c>missing: fill</c>.</param>
internal sealed record CsvScan(
    CsvLayout Layout,
    DataSchema Schema,
    IReadOnlyDictionary<string, long> ClassIndex,
    RowTally Rows,
    long FilledValues)
{
    /// <summary>Reads the whole file once, parsing every value.</summary>
    /// <exception cref="InvalidDataException">The file is missing, empty or malformed; the message names the place.</exception>
    public static CsvScan Run(CsvSettings settings)
    {
        using CsvFile file = CsvFile.Open(settings);
        CsvRecordReader records = file.Records;
        IReadOnlyList<string>? names = null;
        if (settings.Header)
        {
            var header = new string[records.FieldCount];
            for (int i = 0; i < header.Length; i++)
            {
                header[i] = records[i].Trim().ToString();
            }
            names = header;
        }
        int headerLine = records.Line;
        CsvLayout layout = CsvLayout.Resolve(settings, records.FieldCount, names, $"{file.Name}:{headerLine}");
        TensorShape shape = Shape(settings, layout, file.Name);
        var parser = new CsvRowParser(layout, settings.Task, file.Name, settings.Header, settings.Errors);
        var labels = new ClassLabels();
        var row = new float[layout.Features.Length];

        var tally = new RowTally(settings.Errors, file.Name);
        bool pending = !settings.Header;
        while (pending || file.Read())
        {
            pending = false;
            file.ThrowOnQuoteProblem(isHeader: false);
            switch (parser.Parse(records, row, out _, out string? problem))
            {
                case CsvRowOutcome.Kept:
                    tally.Keep();
                    if (parser.Target == TargetKind.Classification)
                    {
                        labels.Add(parser.Label(records));
                    }
                    break;
                case CsvRowOutcome.Missing:
                    tally.LeaveOutMissing();
                    break;
                default:
                    tally.Bad(problem!);
                    break;
            }
        }
        tally.ThrowIfNoneKept($"{file.Name}:{headerLine + 1}: no rows of data after the header; expected at least one");

        var classIndex = new Dictionary<string, long>(StringComparer.Ordinal);
        string[] classNames = [];
        if (parser.Target == TargetKind.Classification)
        {
            (classNames, int[] classOf) = labels.Finish();
            for (int i = 0; i < labels.Labels.Count; i++)
            {
                classIndex[labels.Labels[i]] = classOf[i];
            }
        }
        var schema = new DataSchema(shape, layout.FeatureNames, parser.Target, classNames);
        return new CsvScan(layout, schema, classIndex, tally, parser.FilledValues);
    }

    private static TensorShape Shape(CsvSettings settings, CsvLayout layout, string file)
    {
        int count = layout.Features.Length;
        if (settings.Shape is not { } dims)
        {
            return new TensorShape(count);
        }
        long product = dims.Aggregate(1L, (p, d) => p * d);
        if (product != count)
        {
            throw new InvalidDataException($"{file}: data.shape [{string.Join(", ", dims)}] holds {product} values, but there are {count} feature columns; expected dimensions whose product is {count}");
        }
        return new TensorShape([.. dims]);
    }
}
