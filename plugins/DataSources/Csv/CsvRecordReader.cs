using System.Buffers;

namespace Conduit.DataSources.Csv;

/// <summary>
/// Reads RFC 4180 records one at a time: fields separated by one delimiter character, quoted fields that may hold
/// delimiters, doubled quotes and line breaks, and rows ended by CRLF, LF or CR. Fields are handed out as spans over
/// a reused buffer, so reading allocates nothing per field.
/// </summary>
/// <remarks>
/// Blank lines between records are skipped (as pandas does). A quote inside an unquoted field is kept as text
/// (<c>5'10"</c>); text after a closing quote is reported through <see cref="Problem"/> instead of being guessed at.
/// </remarks>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly SearchValues<char> _unquotedStops;
    private readonly char _delimiter;
    private readonly char[] _buffer;
    private readonly List<CsvField> _fields = [];
    private char[] _record = new char[256];
    private int _recordLength;
    private int _position;
    private int _length;
    private bool _endOfInput;
    private int _line = 1;

    /// <summary>Reads from <paramref name="reader"/>, splitting fields at <paramref name="delimiter"/>.</summary>
    public CsvRecordReader(TextReader reader, char delimiter, int bufferSize = 64 * 1024)
    {
        _reader = reader;
        _delimiter = delimiter;
        _unquotedStops = SearchValues.Create([delimiter, '\r', '\n']);
        _buffer = new char[bufferSize];
    }

    /// <summary>The 1-based line the current record starts on.</summary>
    public int Line { get; private set; }

    /// <summary>The number of fields of the current record.</summary>
    public int FieldCount => _fields.Count;

    /// <summary>The quoting problem of the current record, if any.</summary>
    public CsvQuoteProblem Problem { get; private set; }

    /// <summary>The zero-based field the <see cref="Problem"/> is in.</summary>
    public int ProblemField { get; private set; }

    /// <summary>The 1-based line the <see cref="Problem"/> is on (for an unclosed quote, where the quote opened).</summary>
    public int ProblemLine { get; private set; }

    /// <summary>The text of field <paramref name="index"/>, unquoted, valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<char> this[int index] => _record.AsSpan(_fields[index].Start, _fields[index].Length);

    /// <summary>The 1-based line field <paramref name="index"/> starts on (later than <see cref="Line"/> after a quoted line break).</summary>
    public int FieldLine(int index) => _fields[index].Line;

    /// <summary>Moves to the next record; false at the end of the input.</summary>
    public bool Read()
    {
        _fields.Clear();
        _recordLength = 0;
        Problem = CsvQuoteProblem.None;
        while (true)
        {
            if (!HasData())
            {
                return false;
            }
            char first = _buffer[_position];
            if (first is not ('\r' or '\n'))
            {
                break;
            }
            ConsumeLineBreak();
        }
        Line = _line;
        bool endOfRecord;
        do
        {
            int start = _recordLength;
            int line = _line;
            endOfRecord = ReadField();
            _fields.Add(new CsvField(start, _recordLength - start, line));
        }
        while (!endOfRecord);
        return true;
    }

    // Appends one field's text to the record buffer; true when the record ended after it.
    private bool ReadField()
    {
        if (HasData() && _buffer[_position] == '"')
        {
            int openedOn = _line;
            _position++;
            if (!ReadQuoted())
            {
                SetProblem(CsvQuoteProblem.UnclosedQuote, openedOn);
                return true;
            }
            if (!HasData())
            {
                return true;
            }
            char next = _buffer[_position];
            if (next == _delimiter)
            {
                _position++;
                return false;
            }
            if (next is '\r' or '\n')
            {
                ConsumeLineBreak();
                return true;
            }
            // Keep the rest of the field so the row ends where it should; the problem marks the row as bad.
            SetProblem(CsvQuoteProblem.TextAfterClosingQuote, _line);
        }
        while (HasData())
        {
            ReadOnlySpan<char> span = _buffer.AsSpan(_position, _length - _position);
            int stop = span.IndexOfAny(_unquotedStops);
            if (stop < 0)
            {
                Append(span);
                _position = _length;
                continue;
            }
            Append(span[..stop]);
            _position += stop;
            if (span[stop] == _delimiter)
            {
                _position++;
                return false;
            }
            ConsumeLineBreak();
            return true;
        }
        return true;
    }

    // Reads a quoted field's content after its opening quote; false when the input ends before the closing quote.
    private bool ReadQuoted()
    {
        while (HasData())
        {
            ReadOnlySpan<char> span = _buffer.AsSpan(_position, _length - _position);
            int stop = span.IndexOfAny('"', '\r', '\n');
            if (stop < 0)
            {
                Append(span);
                _position = _length;
                continue;
            }
            Append(span[..stop]);
            _position += stop + 1;
            char c = span[stop];
            if (c == '"')
            {
                if (HasData() && _buffer[_position] == '"')
                {
                    Append("\"");
                    _position++;
                    continue;
                }
                return true;
            }
            // A line break inside quotes is data: keep it as written, but count the line for error positions.
            Append(c == '\r' ? "\r" : "\n");
            if (c == '\r' && HasData() && _buffer[_position] == '\n')
            {
                Append("\n");
                _position++;
            }
            _line++;
        }
        return false;
    }

    private void SetProblem(CsvQuoteProblem problem, int line)
    {
        if (Problem == CsvQuoteProblem.None)
        {
            Problem = problem;
            ProblemField = _fields.Count;
            ProblemLine = line;
        }
    }

    // Consumes CRLF, LF or CR at the current position as one line break.
    private void ConsumeLineBreak()
    {
        char c = _buffer[_position++];
        if (c == '\r' && HasData() && _buffer[_position] == '\n')
        {
            _position++;
        }
        _line++;
    }

    private bool HasData()
    {
        if (_position < _length)
        {
            return true;
        }
        if (_endOfInput)
        {
            return false;
        }
        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (InvalidDataException e)
        {
            // A decompressor's complaint about its input, not about the CSV: kept apart from the CSV's own errors.
            throw new IOException(e.Message, e);
        }
        _position = 0;
        _endOfInput = _length == 0;
        return !_endOfInput;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_recordLength + text.Length > _record.Length)
        {
            Array.Resize(ref _record, Math.Max(_record.Length * 2, _recordLength + text.Length));
        }
        text.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += text.Length;
    }

    private readonly record struct CsvField(int Start, int Length, int Line);
}
