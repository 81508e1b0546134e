using System.Text;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Csv;

/// <summary>An open CSV file (gzip decompressed on the fly) positioned after its header, with the header's names.</summary>
internal sealed class CsvFile : IDisposable
{
    private readonly StreamReader _text;

    private CsvFile(string path, StreamReader text, CsvRecordReader records)
    {
        FullPath = path;
        Name = System.IO.Path.GetFileName(path);
        _text = text;
        Records = records;
    }

    /// <summary>The file's full path.</summary>
    public string FullPath { get; }

    /// <summary>The file's name, as messages start.</summary>
    public string Name { get; }

    /// <summary>The records; after <see cref="Open"/> the current one is the first (the header, when there is one).</summary>
    public CsvRecordReader Records { get; }

    /// <summary>Opens the file and reads its first record.</summary>
    /// <exception cref="InvalidDataException">The file is missing, a folder, empty or not readable as (gzip) text.</exception>
    public static CsvFile Open(CsvSettings settings)
    {
        string path = System.IO.Path.GetFullPath(settings.Path);
        Stream input = DataFile.OpenRead(path, "a CSV file (data.path)");
        var text = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var file = new CsvFile(path, text, new CsvRecordReader(text, settings.Delimiter));
        try
        {
            if (!file.Read())
            {
                throw new InvalidDataException($"{file.Name}:1: the file is empty; expected {(settings.Header ? "a header row and " : "")}rows of data");
            }
            file.ThrowOnQuoteProblem(isHeader: settings.Header);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next record; a decompression or read failure is reported with the file's name.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read, or a quoted field is never closed.</exception>
    public bool Read()
    {
        try
        {
            return Records.Read();
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            string what = DataFile.IsCompressed(_text.BaseStream) ? "gzip-compressed " : "";
            string where = Records.Line > 0 ? $" (after the record on line {Records.Line})" : "";
            throw new InvalidDataException($"{FullPath}: cannot be read as {what}text: {e.Message}{where}", e);
        }
    }

    // An unclosed quote swallowed the rest of the file, so no later row can be trusted: it stops even a skipping read.
    // A bad header stops it too; text after a closing quote in a data row is that row's problem (see CsvRowParser).

    /// <summary>Throws for a quoting problem that no later row can recover from.</summary>
    /// <exception cref="InvalidDataException">An unclosed quote, or text after a closing quote in the header.</exception>
    public void ThrowOnQuoteProblem(bool isHeader)
    {
        if (Records.Problem == CsvQuoteProblem.UnclosedQuote)
        {
            throw new InvalidDataException($"{Name}:{Records.ProblemLine}:col {Records.ProblemField + 1}: the quoted field that starts here is not closed; expected a closing '\"' before the end of the file");
        }
        if (Records.Problem == CsvQuoteProblem.TextAfterClosingQuote && isHeader)
        {
            throw new InvalidDataException($"{Name}:{Records.ProblemLine}:col {Records.ProblemField + 1}: text after the closing quote in the header; expected the delimiter or the end of the row");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _text.Dispose();
}
