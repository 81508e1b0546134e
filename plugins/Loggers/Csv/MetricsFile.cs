using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Conduit.Loggers.Csv;

/// <summary>
/// <c>metrics.csv</c>: rows are appended as they come; a metric seen for the first time widens the header, which
/// rewrites the file (as Lightning does, but through a temporary file and a rename, so a crash mid-rewrite loses no
/// row). Rows are flushed at least every second and when the run ends.
/// </summary>
internal sealed class MetricsFile : IDisposable
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly long? _resumedAtStep;
    private readonly List<string> _columns = [];
    private readonly List<(long Step, int Epoch, Dictionary<string, double> Values)> _rows = [];
    private StreamWriter _writer;
    private long _flushed = Stopwatch.GetTimestamp();

    /// <summary>Opens the file; for a resumed run, keeps its rows up to <paramref name="resumedAtStep"/> and drops later ones.</summary>
    public static MetricsFile Open(string path, long? resumedAtStep) => new(path, resumedAtStep);

    private MetricsFile(string path, long? resumedAtStep)
    {
        _path = path;
        _resumedAtStep = resumedAtStep;
        if (resumedAtStep is { } step && File.Exists(path))
        {
            Load(step);
        }
        _writer = Rewrite();
    }

    public void Add(long step, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        var values = new Dictionary<string, double>(metrics, StringComparer.Ordinal);
        bool replaces = step <= _resumedAtStep && RemoveRecorded(step, values.Keys);
        _rows.Add((step, epoch, values));
        if (replaces || values.Keys.Any(k => !_columns.Contains(k)))
        {
            _writer.Dispose();
            _writer = Rewrite();
        }
        else
        {
            WriteRow(_writer, _rows[^1]);
        }
        if (Stopwatch.GetElapsedTime(_flushed) >= FlushEvery)
        {
            _writer.Flush();
            _flushed = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Writes what is buffered through to the disk.</summary>
    public void Flush()
    {
        _writer.Flush();
        ((FileStream)_writer.BaseStream).Flush(flushToDisk: true);
        _flushed = Stopwatch.GetTimestamp();
    }

    public void Dispose() => _writer.Dispose();

    private StreamWriter Rewrite()
    {
        foreach (string name in _rows.SelectMany(r => r.Values.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            if (!_columns.Contains(name))
            {
                _columns.Add(name);
            }
        }
        _columns.Sort(StringComparer.Ordinal);
        string temporary = _path + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false), 1 << 16))
        {
            writer.Write("step,epoch");
            foreach (string column in _columns)
            {
                writer.Write(',');
                writer.Write(Quote(column));
            }
            writer.Write('\n');
            foreach (var row in _rows)
            {
                WriteRow(writer, row);
            }
        }
        File.Move(temporary, _path, overwrite: true);
        return new StreamWriter(_path, append: true, new UTF8Encoding(false), 1 << 16);
    }

    // A resumed run logs again what was recorded at its checkpoint's step after the checkpoint (the test after a
    // finished fit): the new value replaces the old one, as in the experiment store, so no metric appears twice.
    private bool RemoveRecorded(long step, IEnumerable<string> names)
    {
        bool removed = false;
        for (int i = _rows.Count - 1; i >= 0; i--)
        {
            if (_rows[i].Step == step)
            {
                foreach (string name in names)
                {
                    removed |= _rows[i].Values.Remove(name);
                }
                if (_rows[i].Values.Count == 0)
                {
                    _rows.RemoveAt(i);
                }
            }
        }
        return removed;
    }

    private void WriteRow(StreamWriter writer, (long Step, int Epoch, Dictionary<string, double> Values) row)
    {
        writer.Write(row.Step.ToString(CultureInfo.InvariantCulture));
        writer.Write(',');
        writer.Write(row.Epoch.ToString(CultureInfo.InvariantCulture));
        foreach (string column in _columns)
        {
            writer.Write(',');
            if (row.Values.TryGetValue(column, out double value))
            {
                writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
            }
        }
        writer.Write('\n');
    }

    // A resumed run: the rows up to the checkpoint's step stay; later ones are logged again by the resumed run.
    private void Load(long resumedAtStep)
    {
        string[] lines = File.ReadAllLines(_path);
        if (lines.Length == 0)
        {
            return;
        }
        string[] header = lines[0].Split(',');
        for (int i = 1; i < lines.Length; i++)
        {
            string[] fields = lines[i].Split(',');
            if (fields.Length != header.Length || !long.TryParse(fields[0], CultureInfo.InvariantCulture, out long step) || step > resumedAtStep)
            {
                continue;
            }
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int c = 2; c < header.Length; c++)
            {
                if (fields[c].Length > 0 && double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    values[header[c].Trim('"')] = value;
                }
            }
            _rows.Add((step, int.Parse(fields[1], CultureInfo.InvariantCulture), values));
        }
    }

    private static string Quote(string name) => name.Contains(',', StringComparison.Ordinal) || name.Contains('"', StringComparison.Ordinal) ? "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : name;
}
