using System.IO.Compression;
using System.Text;
using Conduit.Data;

namespace Conduit.DataSources.Csv;

/// <summary>Reads a whole CSV file, as <see cref="CsvSettings"/> describe it, into an <see cref="InMemoryDataset"/>.</summary>
internal static class CsvLoader
{
    /// <summary>Reads the file; bad rows stop the read or, with <see cref="CsvSettings.SkipBadRows"/>, are counted.</summary>
    /// <exception cref="InvalidDataException">The file is missing, empty or malformed; the message names the place.</exception>
    public static CsvReadResult Load(CsvSettings settings)
    {
        string path = Path.GetFullPath(settings.Path);
        string file = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw Fail(Directory.Exists(path)
                ? $"{path}: is a folder; expected a CSV file (data.path)"
                : $"{path}: the file does not exist; expected a CSV file (data.path)");
        }
        try
        {
            using Stream stream = OpenStream(path);
            using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            return Load(new CsvRecordReader(text, settings.Delimiter), settings, file);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path}: cannot be read as {(path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? "gzip-compressed " : "")}text: {e.Message}", e);
        }
    }

    private static CsvReadResult Load(CsvRecordReader records, CsvSettings settings, string file)
    {
        if (!records.Read())
        {
            throw Fail($"{file}:1: the file is empty; expected {(settings.Header ? "a header row and " : "")}rows of data");
        }
        ThrowOnQuoteProblem(records, file, isHeader: settings.Header);
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
        CsvLayout layout = CsvLayout.Resolve(settings, records.FieldCount, names, $"{file}:{headerLine}");
        TensorShape shape = Shape(settings, layout, file);
        var table = new CsvTableBuilder(layout, settings.Task, file, settings.Header);

        int skipped = 0;
        var reasons = new List<string>();
        bool pending = !settings.Header;
        while (pending || records.Read())
        {
            pending = false;
            ThrowOnQuoteProblem(records, file, isHeader: false);
            if (table.TryAdd(records) is not { } problem)
            {
                continue;
            }
            if (!settings.SkipBadRows)
            {
                throw Fail(problem);
            }
            skipped++;
            if (reasons.Count < CsvReadResult.MaxSkipReasons)
            {
                reasons.Add(problem);
            }
        }
        if (table.Rows == 0)
        {
            throw Fail(skipped > 0
                ? $"{file}: all {skipped} rows are bad and were skipped (on_error: skip); the first: {reasons[0]}"
                : $"{file}:{headerLine + 1}: no rows of data after the header; expected at least one");
        }
        return new CsvReadResult(table.Build(shape), skipped, reasons);
    }

    // An unclosed quote swallowed the rest of the file, so no later row can be trusted: it stops even a skipping read.
    // A bad header stops it too; text after a closing quote in a data row is that row's problem (see CsvTableBuilder).
    private static void ThrowOnQuoteProblem(CsvRecordReader records, string file, bool isHeader)
    {
        if (records.Problem == CsvQuoteProblem.UnclosedQuote)
        {
            throw Fail($"{file}:{records.ProblemLine}:col {records.ProblemField + 1}: the quoted field that starts here is not closed; expected a closing '\"' before the end of the file");
        }
        if (records.Problem == CsvQuoteProblem.TextAfterClosingQuote && isHeader)
        {
            throw Fail($"{file}:{records.ProblemLine}:col {records.ProblemField + 1}: text after the closing quote in the header; expected the delimiter or the end of the row");
        }
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
            throw Fail($"{file}: data.shape [{string.Join(", ", dims)}] holds {product} values, but there are {count} feature columns; expected dimensions whose product is {count}");
        }
        return new TensorShape([.. dims]);
    }

    private static Stream OpenStream(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static InvalidDataException Fail(string message) => new(message);
}
