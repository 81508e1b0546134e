using System.Globalization;
using System.Runtime.InteropServices;
using Conduit.Data;

namespace Conduit.DataSources.Csv;

/// <summary>
/// Turns records into features and labels, row by row: a row is checked whole and kept only when every value is
/// good, so a skipped row leaves nothing behind and no value is ever coerced.
/// </summary>
internal sealed class CsvTableBuilder
{
    private readonly CsvLayout _layout;
    private readonly TargetKind _target;
    private readonly string _file;
    private readonly string _expectedFrom;
    private readonly float[] _row;
    private readonly List<float> _features = [];
    private readonly List<int> _labels = [];
    private readonly List<float> _values = [];
    private readonly ClassLabels _classes = new();

    /// <summary>Builds rows of <paramref name="layout"/>; <paramref name="file"/> names the file in messages.</summary>
    public CsvTableBuilder(CsvLayout layout, TargetKind task, string file, bool header)
    {
        _layout = layout;
        _target = layout.Label is null ? TargetKind.None : task;
        _file = file;
        _expectedFrom = header ? "as in the header" : "as in the first row";
        _row = new float[layout.Features.Length];
    }

    /// <summary>The number of rows kept.</summary>
    public int Rows { get; private set; }

    /// <summary>Adds the current record, or says what is wrong with it (and adds nothing).</summary>
    /// <returns>Null when the row was added; else the problem, as <c>file:line:col N (name): ...</c>.</returns>
    public string? TryAdd(CsvRecordReader record)
    {
        if (record.Problem == CsvQuoteProblem.TextAfterClosingQuote)
        {
            return At(record.ProblemLine, record.ProblemField,
                "text after the closing quote; expected the delimiter or the end of the row (write a quote inside a quoted field as \"\")");
        }
        if (record.FieldCount < _layout.ColumnCount)
        {
            return At(record.FieldLine(record.FieldCount - 1), record.FieldCount,
                $"missing; the row has {record.FieldCount} values, expected {_layout.ColumnCount} {_expectedFrom}");
        }
        if (record.FieldCount > _layout.ColumnCount)
        {
            int extra = _layout.ColumnCount;
            return At(record.FieldLine(extra), extra,
                $"unexpected value {Quote(record[extra])}; the row has {record.FieldCount} values, expected {_layout.ColumnCount} {_expectedFrom}");
        }
        int[] features = _layout.Features;
        for (int i = 0; i < features.Length; i++)
        {
            if (ParseNumber(record, features[i], "a number such as 3, -0.5 or 1e-3", out _row[i]) is { } problem)
            {
                return problem;
            }
        }
        int label = 0;
        float value = 0;
        if (_target == TargetKind.Classification)
        {
            int column = _layout.Label!.Value;
            ReadOnlySpan<char> text = record[column];
            if (text.IsWhiteSpace())
            {
                return At(record.FieldLine(column), column, $"{Quote(text)} is empty; expected a class label");
            }
            label = _classes.Add(text);
        }
        else if (_target == TargetKind.Regression && ParseNumber(record, _layout.Label!.Value, "a number (the regression target)", out value) is { } problem)
        {
            return problem;
        }

        _features.AddRange(_row);
        if (_target == TargetKind.Classification)
        {
            _labels.Add(label);
        }
        else if (_target == TargetKind.Regression)
        {
            _values.Add(value);
        }
        Rows++;
        return null;
    }

    /// <summary>The dataset of the rows kept, with per-example features of <paramref name="shape"/>.</summary>
    public InMemoryDataset Build(TensorShape shape)
    {
        float[] features = CollectionsMarshal.AsSpan(_features).ToArray();
        if (_target == TargetKind.Classification)
        {
            (string[] names, int[] classOf) = _classes.Finish();
            var classes = new long[_labels.Count];
            for (int i = 0; i < classes.Length; i++)
            {
                classes[i] = classOf[_labels[i]];
            }
            return new InMemoryDataset(new DataSchema(shape, _layout.FeatureNames, TargetKind.Classification, names), features, classes);
        }
        float[]? values = _target == TargetKind.Regression ? CollectionsMarshal.AsSpan(_values).ToArray() : null;
        return new InMemoryDataset(new DataSchema(shape, _layout.FeatureNames, _target, []), features, values);
    }

    /// <summary>A message placed at a line and column: <c>digits.csv:14:col 3 (p2): ...</c>.</summary>
    public string At(int line, int column, string message) => $"{_file}:{line}:{_layout.Describe(column)}: {message}";

    /// <summary>A value as messages show it: quoted, line breaks made visible, long values cut.</summary>
    public static string Quote(ReadOnlySpan<char> value)
    {
        const int Longest = 40;
        string text = value.Length > Longest ? string.Concat(value[..Longest], "...") : value.ToString();
        return "'" + text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";
    }

    private string? ParseNumber(CsvRecordReader record, int column, string expected, out float value)
    {
        ReadOnlySpan<char> text = record[column];
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value))
        {
            return null;
        }
        string problem = text.IsWhiteSpace() ? "is empty"
            : float.IsNaN(value) || float.IsInfinity(value) ? "is not a finite number"
            : "is not a number";
        string hint = text.Contains(',') && float.TryParse(text.ToString().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? " with '.' as the decimal separator"
            : "";
        string missing = problem == "is not a number" ? "" : " (missing values are not filled in)";
        return At(record.FieldLine(column), column, $"{Quote(text)} {problem}; expected {expected}{hint}{missing}");
    }
}
