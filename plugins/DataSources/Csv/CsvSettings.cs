using Conduit.Configuration;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Csv;

/// <summary>The keys of a job's <c>data</c> section that the csv source reads; the host's own keys are left alone.</summary>
internal sealed record CsvSettings
{
    /// <summary><c>path</c>: the file (absolute, or relative to the current directory); gzip is decompressed.</summary>
    public required string Path { get; init; }

    /// <summary><c>label</c>: the label column's name or zero-based index; null for unlabelled data.</summary>
    public string? Label { get; init; }

    /// <summary><c>task</c>: what the label is.</summary>
    public TargetKind Task { get; init; } = TargetKind.Classification;

    /// <summary><c>features</c>: the feature columns' names or indices; null for every column but the label.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary><c>header</c>: whether the first row names the columns.</summary>
    public bool Header { get; init; } = true;

    /// <summary><c>delimiter</c>: the field separator.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary><c>on_error</c>, <c>missing</c>, <c>fill_value</c>: what bad rows and missing values do.</summary>
    public DataErrorPolicy Errors { get; init; } = new();

    /// <summary><c>on_error: skip</c>: skip and count bad rows instead of stopping at the first.</summary>
    public bool SkipBadRows => Errors.SkipBadRows;

    /// <summary><c>shape</c>: the per-example feature shape (such as <c>[1, 8, 8]</c>); null for a flat vector.</summary>
    public IReadOnlyList<int>? Shape { get; init; }

    /// <summary>Reads the settings, naming every bad key, its value and what is allowed.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or not allowed (one line per problem).</exception>
    public static CsvSettings Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string path = reader.FilePath("path", "the CSV file to read, such as data/digits.csv");
        string? label = reader.String("label");
        IReadOnlyList<string>? features = reader.StringList("features");
        string task = reader.Choice("task", "classification", "classification", "regression");
        DataErrorPolicy errors = DataErrorPolicy.Read(reader);
        bool header = reader.Bool("header", true);
        char delimiter = ReadDelimiter(reader);
        IReadOnlyList<int>? shape = reader.Exists("shape") ? reader.IntList("shape", [], min: 1) : null;
        if (shape is { Count: 0 })
        {
            reader.Problem("shape", "is empty; expected dimensions such as [1, 8, 8]");
        }
        reader.RejectUnknown();
        reader.ThrowIfProblems();
        return new CsvSettings
        {
            Path = path,
            Label = label,
            Task = task == "regression" ? TargetKind.Regression : TargetKind.Classification,
            Features = features,
            Header = header,
            Delimiter = delimiter,
            Errors = errors,
            Shape = shape,
        };
    }

    private static char ReadDelimiter(SettingsReader reader)
    {
        // Untrimmed: a tab or a space is a delimiter.
        string? text = reader.String("delimiter") is null ? null : reader.Configuration["delimiter"];
        switch (text)
        {
            case null:
                return ',';
            case "\\t" or "tab":
                return '\t';
            case { Length: 1 } when text[0] is not ('"' or '\r' or '\n'):
                return text[0];
            default:
                reader.Problem("delimiter", $"'{text}' is not allowed; expected one character such as ',' or ';', or \\t for a tab");
                return ',';
        }
    }
}
