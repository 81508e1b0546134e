using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Conduit.Configuration;

/// <summary>
/// Reads typed settings from a configuration section and collects every problem, each naming the key (dotted, as a
/// user writes it in <c>--set</c>), the value and what is allowed, instead of stopping at the first.
/// </summary>
public sealed class SettingsReader
{
    private readonly IConfiguration _section;
    private readonly string _prefix;
    private readonly List<string> _problems;

    /// <summary>Reads from <paramref name="configuration"/>, the job's root.</summary>
    public SettingsReader(IConfiguration configuration) : this(configuration, "", []) { }

    /// <summary>Reads from <paramref name="section"/>, whose keys messages name under <paramref name="prefix"/>.</summary>
    /// <param name="section">The section to read, such as the job's <c>data</c> section a data source is given.</param>
    /// <param name="prefix">The section's dotted path in the job (<c>data</c>), so a problem reads <c>data.path: ...</c>.</param>
    public SettingsReader(IConfiguration section, string prefix) : this(section, prefix ?? "", []) { }

    private SettingsReader(IConfiguration section, string prefix, List<string> problems)
    {
        _section = section;
        _prefix = prefix;
        _problems = problems;
    }

    /// <summary>The problems found so far, shared by every reader derived from the root.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>A reader of the child section <paramref name="key"/>.</summary>
    public SettingsReader Section(string key) => new(_section.GetSection(key), Key(key), _problems);

    /// <summary>The raw section, for settings a plugin interprets itself.</summary>
    public IConfigurationSection Raw(string key) => _section.GetSection(key);

    /// <summary>Whether <paramref name="key"/> has a value or children.</summary>
    public bool Exists(string key) => _section.GetSection(key).Exists();

    /// <summary>Records a problem with <paramref name="key"/>.</summary>
    public void Problem(string key, string message) => _problems.Add($"{Key(key)}: {message}");

    /// <summary>The dotted path of <paramref name="key"/>.</summary>
    public string Key(string key) => _prefix.Length == 0 ? key : $"{_prefix}.{key}";

    /// <summary>A string, or <paramref name="fallback"/> when absent.</summary>
    public string? String(string key, string? fallback = null) => _section[key] is { Length: > 0 } value ? value : fallback;

    /// <summary>A required string.</summary>
    public string RequiredString(string key, string what)
    {
        string? value = String(key);
        if (value is null)
        {
            Problem(key, $"is missing; expected {what}");
            return "";
        }
        return value;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive; returned lower-case).</summary>
    public string Choice(string key, string fallback, params string[] allowed)
    {
        string value = String(key, fallback)!;
        string normalized = value.Trim().ToLowerInvariant().Replace('-', '_');
        if (!allowed.Contains(normalized, StringComparer.Ordinal))
        {
            Problem(key, $"'{value}' is not allowed; expected one of {string.Join(", ", allowed)}");
            return fallback;
        }
        return normalized;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue, string? allowed = null)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            Problem(key, $"'{text}' is not allowed; expected {allowed ?? RangeText("an integer", min, max)}");
            return fallback;
        }
        return value;
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>] (or an open lower bound when <paramref name="exclusiveMin"/>).</summary>
    public double Double(string key, double fallback, double min = double.MinValue, double max = double.MaxValue, bool exclusiveMin = false, string? allowed = null)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        bool parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value);
        if (!parsed || value > max || (exclusiveMin ? value <= min : value < min))
        {
            string range = allowed ?? (exclusiveMin ? $"a number greater than {Format(min)}" : RangeText("a number", min, max));
            Problem(key, $"'{text}' is not allowed; expected {range}");
            return fallback;
        }
        return value;
    }

    /// <summary>A boolean (<c>true</c>/<c>false</c>).</summary>
    public bool Bool(string key, bool fallback)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        if (!bool.TryParse(text, out bool value))
        {
            Problem(key, $"'{text}' is not allowed; expected true or false");
            return fallback;
        }
        return value;
    }

    /// <summary>A list of integers (a JSON array, or a comma-separated string from <c>--set</c>).</summary>
    public IReadOnlyList<int> IntList(string key, IReadOnlyList<int> fallback, int min = 1)
    {
        IConfigurationSection section = _section.GetSection(key);
        if (!section.Exists())
        {
            return fallback;
        }
        IEnumerable<(string Key, string? Text)> items = section.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((t, i) => ($"{key}.{i}", (string?)t))
            : section.GetChildren().OrderBy(c => int.TryParse(c.Key, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue).Select(c => ($"{key}.{c.Key}", c.Value));
        var result = new List<int>();
        foreach (var (itemKey, text) in items)
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
            {
                Problem(itemKey, $"'{text}' is not allowed; expected an integer of at least {min}");
                continue;
            }
            result.Add(value);
        }
        return result;
    }

    /// <summary>A list of strings (a JSON array, or a comma-separated string from <c>--set</c>); null when absent.</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        IConfigurationSection section = _section.GetSection(key);
        if (!section.Exists())
        {
            return null;
        }
        return section.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. section.GetChildren().OrderBy(c => int.TryParse(c.Key, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue).Select(c => c.Value?.Trim() ?? "")];
    }

    /// <summary>Throws when any problem was recorded: every problem, one per line, in an <see cref="InvalidDataException"/>.</summary>
    /// <exception cref="InvalidDataException">At least one problem was recorded.</exception>
    public void ThrowIfProblems()
    {
        if (_problems.Count > 0)
        {
            throw new InvalidDataException(string.Join("\n", _problems));
        }
    }

    /// <summary>Records a problem for every child key not in <paramref name="known"/>, suggesting the closest known one.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (IConfigurationSection child in _section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                string closest = known.MinBy(k => EditDistance(k, child.Key.ToLowerInvariant()))!;
                string hint = EditDistance(closest, child.Key.ToLowerInvariant()) <= 3 ? $"did you mean '{closest}'? " : "";
                Problem(child.Key, $"unknown key; {hint}expected one of {string.Join(", ", known)}");
            }
        }
    }

    private static int EditDistance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    private static string RangeText(string what, double min, double max) =>
        (min, max) switch
        {
            (double.MinValue or int.MinValue, double.MaxValue or int.MaxValue) => what,
            (double.MinValue or int.MinValue, _) => $"{what} of at most {Format(max)}",
            (_, double.MaxValue or int.MaxValue) => $"{what} of at least {Format(min)}",
            _ => $"{what} from {Format(min)} to {Format(max)}",
        };

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
