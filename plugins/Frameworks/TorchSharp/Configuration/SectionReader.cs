using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Conduit.Frameworks.TorchSharp.Configuration;

/// <summary>
/// Reads typed settings from one configuration section and collects every problem, each naming the key as a user
/// writes it (<c>model.hidden.1</c>), the value and what is allowed, so that one run reports all of a job's mistakes.
/// </summary>
internal sealed class SectionReader
{
    private readonly IConfiguration _section;
    private readonly string _prefix;
    private readonly List<string> _problems;

    /// <summary>Reads <paramref name="section"/>, whose keys are reported under <paramref name="prefix"/>, into <paramref name="problems"/>.</summary>
    public SectionReader(IConfiguration section, string prefix, List<string> problems)
    {
        _section = section;
        _prefix = prefix;
        _problems = problems;
    }

    /// <summary>The problems found so far, shared with every reader derived from this one.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>A reader of the child section <paramref name="key"/>, sharing this reader's problems.</summary>
    /// <summary>The section itself, for a reader of its own (a plugin architecture's settings).</summary>
    public IConfiguration Configuration => _section;

    public SectionReader Section(string key) => new(_section.GetSection(key), Key(key), _problems);

    /// <summary>The dotted name of <paramref name="key"/>.</summary>
    public string Key(string key) => $"{_prefix}.{key}";

    /// <summary>Whether <paramref name="key"/> is set (a value or children).</summary>
    public bool Has(string key) => _section.GetSection(key).Exists();

    /// <summary>The section's own value, for a section given as a single word (<c>"scheduler": "cosine"</c>).</summary>
    public string? OwnValue => _section is IConfigurationSection { Value: { Length: > 0 } value } ? value.Trim() : null;

    /// <summary>Records a problem with <paramref name="key"/>.</summary>
    public void Problem(string key, string message) => _problems.Add($"{Key(key)}: {message}");

    /// <summary>Records a problem with the section itself (given as a single value).</summary>
    public void SectionProblem(string message) => _problems.Add($"{_prefix}: {message}");

    /// <summary>Records that <paramref name="key"/> has a value outside <paramref name="allowed"/>.</summary>
    public void NotAllowed(string key, string value, string allowed) => Problem(key, $"'{value}' is not allowed; expected {allowed}");

    /// <summary>
    /// Reports every key of the section outside <paramref name="known"/> (and <paramref name="reportedElsewhere"/>):
    /// a misspelt key must not be ignored silently.
    /// </summary>
    public void RejectUnknown(string what, IReadOnlyCollection<string> known, string? reportedElsewhere = null)
    {
        foreach (IConfigurationSection child in _section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase) && !string.Equals(child.Key, reportedElsewhere, StringComparison.OrdinalIgnoreCase))
            {
                Problem(child.Key, $"is not a setting of {what}; expected one of {string.Join(", ", known)}");
            }
        }
    }

    /// <summary>A trimmed string, or null when absent or empty.</summary>
    public string? String(string key) => _section[key] is { } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>One of <paramref name="allowed"/>, compared case-insensitively with <c>-</c> read as <c>_</c>; null when absent or not allowed.</summary>
    public string? Choice(string key, IReadOnlyList<string> allowed)
    {
        string? value = String(key);
        if (value is null)
        {
            return null;
        }
        string normalized = value.ToLowerInvariant().Replace('-', '_');
        if (!allowed.Contains(normalized, StringComparer.Ordinal))
        {
            NotAllowed(key, value, $"one of {string.Join(", ", allowed)}");
            return null;
        }
        return normalized;
    }

    /// <summary>An integer of at least <paramref name="min"/>, or <paramref name="fallback"/> when absent or bad.</summary>
    public int Int(string key, int fallback, int min)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            NotAllowed(key, text, $"an integer of at least {min}");
            return fallback;
        }
        return value;
    }

    /// <summary>A finite number accepted by <paramref name="accepts"/>, or <paramref name="fallback"/> when absent or bad.</summary>
    public double Double(string key, double fallback, NumberRange accepts)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        if (!TryParse(text, out double value) || !accepts.Contains(value))
        {
            NotAllowed(key, text, accepts.Description);
            return fallback;
        }
        return value;
    }

    /// <summary><c>true</c> or <c>false</c>, or <paramref name="fallback"/> when absent or bad.</summary>
    public bool Bool(string key, bool fallback)
    {
        string? text = String(key);
        if (text is null)
        {
            return fallback;
        }
        if (!bool.TryParse(text, out bool value))
        {
            NotAllowed(key, text, "true or false");
            return fallback;
        }
        return value;
    }

    /// <summary>
    /// A list of integers of at least <paramref name="min"/>: a JSON array, or a comma-separated string as <c>--set</c>
    /// gives it (brackets allowed); an empty array is an empty list. <paramref name="fallback"/> when absent.
    /// </summary>
    public IReadOnlyList<int> IntList(string key, IReadOnlyList<int> fallback, int min)
    {
        if (Items(key) is not { } items)
        {
            return fallback;
        }
        var result = new List<int>(items.Count);
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

    /// <summary>A list of finite numbers as <see cref="IntList"/> reads it; null when absent or any item is not a number.</summary>
    public IReadOnlyList<double>? DoubleList(string key)
    {
        if (Items(key) is not { } items)
        {
            return null;
        }
        var result = new List<double>(items.Count);
        foreach (var (itemKey, text) in items)
        {
            if (!TryParse(text, out double value))
            {
                Problem(itemKey, $"'{text}' is not allowed; expected a number");
                return null;
            }
            result.Add(value);
        }
        return result;
    }

    /// <summary>The list at <paramref name="key"/> as text, for messages (<c>[1, 8, 8]</c>).</summary>
    public string ListText(string key) => Items(key) is { } items ? "[" + string.Join(", ", items.Select(i => i.Text)) + "]" : "";

    private List<(string Key, string Text)>? Items(string key)
    {
        IConfigurationSection section = _section.GetSection(key);
        if (!section.Exists())
        {
            return null;
        }
        if (section.Value is { } single)
        {
            return [.. single.Trim().TrimStart('[').TrimEnd(']')
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select((text, i) => ($"{key}.{i}", text))];
        }
        return [.. section.GetChildren()
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue)
            .Select(c => ($"{key}.{c.Key}", (c.Value ?? "").Trim()))];
    }

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
