using System.Globalization;

namespace Conduit.DataSources.Csv;

/// <summary>Which columns of a file are the label and the features, resolved from the settings against the header.</summary>
internal sealed class CsvLayout
{
    private CsvLayout(int columnCount, IReadOnlyList<string>? names, int? label, int[] features)
    {
        ColumnCount = columnCount;
        Names = names;
        Label = label;
        Features = features;
    }

    /// <summary>The number of columns every row must have.</summary>
    public int ColumnCount { get; }

    /// <summary>The header's column names; null for a file without a header.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>The zero-based label column; null for unlabelled data.</summary>
    public int? Label { get; }

    /// <summary>The zero-based feature columns, in the order their values are laid out.</summary>
    public int[] Features { get; }

    /// <summary>The feature columns' names (empty without a header).</summary>
    public IReadOnlyList<string> FeatureNames => Names is null ? [] : [.. Features.Select(i => Names[i])];

    /// <summary>A column as an error message names it: <c>col 3 (p2)</c>, 1-based like an editor.</summary>
    public string Describe(int column) =>
        Names is not null && column < Names.Count && Names[column].Length > 0
            ? $"col {column + 1} ({CsvRowParser.Visible(Names[column])})"
            : $"col {column + 1}";

    /// <summary>Resolves the label and feature columns.</summary>
    /// <param name="settings">The settings naming the columns.</param>
    /// <param name="columnCount">The header's (or first row's) column count.</param>
    /// <param name="names">The header's names, or null.</param>
    /// <param name="place">The file and line of the header (or first row), for messages.</param>
    /// <exception cref="InvalidDataException">A named column does not exist, or the features are not usable.</exception>
    public static CsvLayout Resolve(CsvSettings settings, int columnCount, IReadOnlyList<string>? names, string place)
    {
        int? label = settings.Label is { } labelText ? Find(labelText, "label", columnCount, names, place) : null;
        int[] features;
        if (settings.Features is { } requested)
        {
            var missing = new List<string>();
            var found = new List<int>();
            foreach (string text in requested)
            {
                int? index = TryFind(text, columnCount, names, place);
                if (index is null)
                {
                    missing.Add($"'{text}'");
                }
                else if (found.Contains(index.Value))
                {
                    throw new InvalidDataException($"{place}: feature column '{text}' is listed twice in data.features; expected each column once");
                }
                else if (index == label)
                {
                    throw new InvalidDataException($"{place}: feature column '{text}' is the label column; expected data.features without it");
                }
                else
                {
                    found.Add(index.Value);
                }
            }
            if (missing.Count > 0)
            {
                string what = missing.Count == 1 ? $"feature column {missing[0]} does not exist" : $"feature columns {string.Join(", ", missing)} do not exist";
                throw new InvalidDataException($"{place}: {what}; {Existing(columnCount, names)}");
            }
            features = [.. found];
        }
        else
        {
            features = [.. Enumerable.Range(0, columnCount).Where(i => i != label)];
        }
        if (features.Length == 0)
        {
            throw new InvalidDataException($"{place}: no feature columns; expected at least one column besides the label");
        }
        return new CsvLayout(columnCount, names, label, features);
    }

    private static int Find(string text, string what, int columnCount, IReadOnlyList<string>? names, string place) =>
        TryFind(text, columnCount, names, place)
            ?? throw new InvalidDataException($"{place}: {what} column '{text}' does not exist; {Existing(columnCount, names)}");

    // A header name first (a column may be named "3"), then a zero-based index; a name the header repeats is ambiguous.
    private static int? TryFind(string text, int columnCount, IReadOnlyList<string>? names, string place)
    {
        int[] matches = names is null ? [] : [.. Enumerable.Range(0, names.Count).Where(i => string.Equals(names[i], text, StringComparison.Ordinal))];
        if (matches.Length > 1)
        {
            throw new InvalidDataException($"{place}: column name '{text}' is in the header {matches.Length} times (col {string.Join(", col ", matches.Select(i => i + 1))}); expected a zero-based index to say which");
        }
        if (matches.Length == 1)
        {
            return matches[0];
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < columnCount ? index : null;
    }

    private static string Existing(int columnCount, IReadOnlyList<string>? names) =>
        names is null
            ? $"expected a zero-based index from 0 to {columnCount - 1} (the file has no header)"
            : $"expected a name or zero-based index (0 to {columnCount - 1}) of the columns: {string.Join(", ", names.Select(CsvRowParser.Visible))}";
}
