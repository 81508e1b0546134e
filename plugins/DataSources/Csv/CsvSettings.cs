using System.Globalization;
using Conduit.Data;
using Microsoft.Extensions.Configuration;

namespace Conduit.DataSources.Csv;

/// <summary>The keys of a job's <c>data</c> section that the csv source reads; the host's own keys are left alone.</summary>
internal sealed record CsvSettings
{
    /// <summary><c>path</c>: the file (absolute, or relative to the current directory); <c>.gz</c> is decompressed.</summary>
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

    /// <summary><c>on_error: skip</c>: skip and count bad rows instead of stopping at the first.</summary>
    public bool SkipBadRows { get; init; }

    /// <summary><c>shape</c>: the per-example feature shape (such as <c>[1, 8, 8]</c>); null for a flat vector.</summary>
    public IReadOnlyList<int>? Shape { get; init; }

    /// <summary>Reads the settings, naming every bad key, its value and what is allowed.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or not allowed.</exception>
    public static CsvSettings Read(IConfiguration data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var problems = new List<string>();
        string? path = Text(data, "path");
        if (path is null)
        {
            problems.Add("data.path: is missing; expected the CSV file to read, such as data/digits.csv");
        }
        string task = (Text(data, "task") ?? "classification").Trim().ToLowerInvariant();
        if (task is not ("classification" or "regression"))
        {
            problems.Add($"data.task: '{task}' is not allowed; expected classification or regression");
        }
        string onError = (Text(data, "on_error") ?? "stop").Trim().ToLowerInvariant();
        if (onError is not ("stop" or "skip"))
        {
            problems.Add($"data.on_error: '{onError}' is not allowed; expected stop or skip");
        }
        bool header = true;
        if (Text(data, "header") is { } headerText && !bool.TryParse(headerText, out header))
        {
            problems.Add($"data.header: '{headerText}' is not allowed; expected true or false");
            header = true;
        }
        char delimiter = ReadDelimiter(Text(data, "delimiter"), problems);
        IReadOnlyList<int>? shape = ReadShape(data.GetSection("shape"), problems);
        if (problems.Count > 0)
        {
            throw new InvalidDataException(string.Join("; ", problems));
        }
        return new CsvSettings
        {
            Path = path!,
            Label = Text(data, "label")?.Trim(),
            Task = task == "regression" ? TargetKind.Regression : TargetKind.Classification,
            Features = List(data.GetSection("features")),
            Header = header,
            Delimiter = delimiter,
            SkipBadRows = onError == "skip",
            Shape = shape,
        };
    }

    private static string? Text(IConfiguration data, string key) => data[key] is { Length: > 0 } value ? value : null;

    private static char ReadDelimiter(string? text, List<string> problems)
    {
        switch (text)
        {
            case null:
                return ',';
            case "\\t" or "tab":
                return '\t';
            case { Length: 1 } when text[0] is not ('"' or '\r' or '\n'):
                return text[0];
            default:
                problems.Add($"data.delimiter: '{text}' is not allowed; expected one character such as ',' or ';', or \\t for a tab");
                return ',';
        }
    }

    // A list from a JSON array, or from a comma-separated string as --set gives it.
    private static List<string>? List(IConfigurationSection section)
    {
        if (!section.Exists())
        {
            return null;
        }
        if (section.Value is { } single)
        {
            return [.. single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
        return [.. section.GetChildren()
            .OrderBy(c => int.TryParse(c.Key, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue)
            .Select(c => c.Value?.Trim() ?? "")];
    }

    private static List<int>? ReadShape(IConfigurationSection section, List<string> problems)
    {
        List<string>? items = List(section);
        if (items is null)
        {
            return null;
        }
        var shape = new List<int>();
        foreach (string item in items)
        {
            if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int d) || d < 1)
            {
                problems.Add($"data.shape: '{item}' is not allowed; expected dimensions of at least 1, such as [1, 8, 8]");
                return null;
            }
            shape.Add(d);
        }
        if (shape.Count == 0)
        {
            problems.Add("data.shape: is empty; expected dimensions such as [1, 8, 8]");
            return null;
        }
        return shape;
    }
}
