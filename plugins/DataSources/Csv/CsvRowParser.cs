using System.Globalization;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Csv;

/// <summary>What parsing one row gave.</summary>
internal enum CsvRowOutcome
{
    /// <summary>Every value is good (missing ones filled when the job says so).</summary>
    Kept,

    /// <summary>The row is malformed; the problem says where and why.</summary>
    Bad,

    /// <summary>The row has a missing value and <c>missing: skip</c> leaves it out.</summary>
    Missing,
}

/// <summary>
/// Checks a record against the layout and parses its features straight into the caller's buffer: a row is good or
/// bad as a whole, and no value is coerced unless <c>missing: fill</c> says so.
/// </summary>
internal sealed class CsvRowParser(CsvLayout layout, TargetKind task, string file, bool header, DataErrorPolicy errors)
{
    // pandas' default missing markers, besides the empty cell.
    private static readonly string[] MissingMarkers = ["NaN", "NA", "N/A", "null"];

    private readonly TargetKind _target = layout.Label is null ? TargetKind.None : task;
    private readonly string _expectedFrom = header ? "as in the header" : "as in the first row";

    /// <summary>What the rows' target is (None when there is no label column).</summary>
    public TargetKind Target => _target;

    /// <summary>How many missing values <c>missing: fill</c> replaced in kept rows.</summary>
    public long FilledValues { get; private set; }

    /// <summary>Parses the current record: its features into <paramref name="features"/>, a regression target into <paramref name="value"/>.</summary>
    /// <param name="record">The reader, on the record.</param>
    /// <param name="features">Where the feature values go (one per feature column).</param>
    /// <param name="value">The regression target, when there is one.</param>
    /// <param name="problem">For a bad row, <c>file:line:col N (name): ...</c>.</param>
    public CsvRowOutcome Parse(CsvRecordReader record, Span<float> features, out float value, out string? problem)
    {
        value = 0;
        problem = CheckShape(record);
        if (problem is not null)
        {
            return CsvRowOutcome.Bad;
        }
        int[] columns = layout.Features;
        int filled = 0;
        for (int i = 0; i < columns.Length; i++)
        {
            ReadOnlySpan<char> text = record[columns[i]];
            if (ShortDecimal.TryParse(text, out features[i]))
            {
                continue; // the common case, before any check for missing markers
            }
            if (IsMissing(text))
            {
                switch (errors.Missing)
                {
                    case MissingValuePolicy.Skip:
                        return CsvRowOutcome.Missing;
                    case MissingValuePolicy.Fill:
                        features[i] = errors.FillValue;
                        filled++;
                        continue;
                }
            }
            if ((problem = ParseNumber(record, columns[i], "a number such as 3, -0.5 or 1e-3", out features[i])) is not null)
            {
                return CsvRowOutcome.Bad;
            }
        }
        if (_target != TargetKind.None)
        {
            int column = layout.Label!.Value;
            ReadOnlySpan<char> text = record[column];
            if (IsMissing(text) && errors.Missing == MissingValuePolicy.Skip)
            {
                return CsvRowOutcome.Missing;
            }
            if (_target == TargetKind.Classification && text.IsWhiteSpace())
            {
                problem = At(record.FieldLine(column), column, $"{Quote(text)} is empty; expected a class label (a missing label is never filled in)");
                return CsvRowOutcome.Bad;
            }
            if (_target == TargetKind.Regression && (problem = ParseNumber(record, column, "a number (the regression target)", out value)) is not null)
            {
                return CsvRowOutcome.Bad;
            }
        }
        FilledValues += filled;
        return CsvRowOutcome.Kept;
    }

    /// <summary>The current record's class label text (classification).</summary>
    public ReadOnlySpan<char> Label(CsvRecordReader record) => record[layout.Label!.Value];

    /// <summary>A message placed at a line and column: <c>digits.csv:14:col 3 (p2): ...</c>.</summary>
    public string At(int line, int column, string message) => $"{file}:{line}:{layout.Describe(column)}: {message}";

    /// <summary>A value as messages show it: quoted, line breaks made visible, long values cut.</summary>
    public static string Quote(ReadOnlySpan<char> value)
    {
        const int Longest = 40;
        string text = value.Length > Longest ? string.Concat(value[..Longest], "...") : value.ToString();
        return "'" + Visible(text) + "'";
    }

    /// <summary>Text from the file with its line breaks written as \r and \n, so that a message stays one line.</summary>
    public static string Visible(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private string? CheckShape(CsvRecordReader record)
    {
        if (record.Problem == CsvQuoteProblem.TextAfterClosingQuote)
        {
            return At(record.ProblemLine, record.ProblemField,
                "text after the closing quote; expected the delimiter or the end of the row (write a quote inside a quoted field as \"\")");
        }
        if (record.FieldCount < layout.ColumnCount)
        {
            return At(record.FieldLine(record.FieldCount - 1), record.FieldCount,
                $"missing; the row has {record.FieldCount} values, expected {layout.ColumnCount} {_expectedFrom}");
        }
        if (record.FieldCount > layout.ColumnCount)
        {
            int extra = layout.ColumnCount;
            return At(record.FieldLine(extra), extra,
                $"unexpected value {Quote(record[extra])}; the row has {record.FieldCount} values, expected {layout.ColumnCount} {_expectedFrom}");
        }
        return null;
    }

    private static bool IsMissing(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> trimmed = text.Trim();
        if (trimmed.IsEmpty)
        {
            return true;
        }
        foreach (string marker in MissingMarkers)
        {
            if (trimmed.Equals(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private string? ParseNumber(CsvRecordReader record, int column, string expected, out float value)
    {
        ReadOnlySpan<char> text = record[column];
        if (ShortDecimal.TryParse(text, out value)
            || (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value)))
        {
            return null;
        }
        string problem = text.IsWhiteSpace() ? "is empty"
            : float.IsNaN(value) || float.IsInfinity(value) ? "is not a finite number"
            : "is not a number";
        string hint = text.Contains(',') && float.TryParse(text.ToString().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? " with '.' as the decimal separator"
            : "";
        string missing = IsMissing(text) ? " (missing values are not filled in unless data.missing is skip or fill)" : "";
        return At(record.FieldLine(column), column, $"{Quote(text)} {problem}; expected {expected}{hint}{missing}");
    }
}
