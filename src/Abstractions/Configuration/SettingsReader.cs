using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Conduit.Configuration;

/// <summary>
/// Reads typed settings from a job's configuration. Each read declares a setting once — its key, its default and
/// what is allowed — and the reader remembers every key asked for, so <see cref="RejectUnknown"/> refuses the keys
/// nobody reads without a list of keys kept anywhere else. Problems are collected, not thrown one by one: each names
/// the key as a user writes it in <c>--set</c> (<c>model.hidden.1</c>), the value and what is allowed.
/// </summary>
/// <remarks>Readers made by <see cref="Section"/> share their root's problems and the record of keys read.</remarks>
public sealed class SettingsReader
{
    private readonly IConfiguration _section;
    private readonly string _prefix;
    private readonly SettingsRecord _record;

    /// <summary>Reads <paramref name="configuration"/>, whose keys are named under <paramref name="prefix"/> (empty for a job's root).</summary>
    /// <param name="configuration">The settings.</param>
    /// <param name="prefix">The dotted path of <paramref name="configuration"/> in the job, so a problem reads <c>data.path: ...</c>.</param>
    /// <param name="baseDirectory">The folder relative file paths are resolved against (the job file's); the current folder when null.</param>
    public SettingsReader(IConfiguration configuration, string prefix = "", string? baseDirectory = null)
        : this(configuration, prefix ?? "", new SettingsRecord(baseDirectory ?? Directory.GetCurrentDirectory())) { }

    private SettingsReader(IConfiguration section, string prefix, SettingsRecord record)
    {
        ArgumentNullException.ThrowIfNull(section);
        _section = section;
        _prefix = prefix;
        _record = record;
    }

    /// <summary>The section's configuration as it is (to describe or copy it); reading through it counts nothing as read.</summary>
    public IConfiguration Configuration => _section;

    /// <summary>The keys of this section asked for so far, in the order first asked.</summary>
    public IReadOnlyList<string> KeysRead => _record.KeysOf(_prefix);

    /// <summary>Every problem found so far by this reader and every reader that shares its root.</summary>
    public IReadOnlyList<string> Problems => _record.Problems;

    /// <summary>The dotted path of this section (<c>data</c>, <c>model.scheduler</c>); empty at the root.</summary>
    public string Path => _prefix;

    /// <summary>The dotted path of <paramref name="key"/>: what a user writes in <c>--set</c>.</summary>
    public string Key(string key) => _prefix.Length == 0 ? key : $"{_prefix}.{key}";

    /// <summary>A reader of the child section <paramref name="key"/>; its keys are checked by <see cref="RejectUnknown"/> in turn.</summary>
    public SettingsReader Section(string key)
    {
        _record.Read(_prefix, key, KeyUse.Section);
        return new SettingsReader(_section.GetSection(key), Key(key), _record);
    }

    /// <summary>The child section <paramref name="key"/> as it is, for a plugin that interprets it itself; all of it counts as read.</summary>
    public IConfigurationSection Raw(string key)
    {
        _record.Read(_prefix, key, KeyUse.Whole);
        return _section.GetSection(key);
    }

    /// <summary>Whether <paramref name="key"/> has a value or children.</summary>
    public bool Exists(string key)
    {
        _record.Read(_prefix, key, KeyUse.Value);
        return _section.GetSection(key).Exists();
    }

    /// <summary>The section's own value, for a section a job may give as one word (<c>"scheduler": "cosine"</c>).</summary>
    public string? Value => _section is IConfigurationSection { Value: { } value } && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>Records a problem with <paramref name="key"/>.</summary>
    public void Problem(string key, string message) => _record.Problems.Add($"{Key(key)}: {message}");

    /// <summary>Records a problem with this section as a whole.</summary>
    public void Problem(string message) => _record.Problems.Add($"{(_prefix.Length == 0 ? "job" : _prefix)}: {message}");

    /// <summary>Records that <paramref name="value"/> of <paramref name="key"/> is not allowed, and what is.</summary>
    public void NotAllowed(string key, string value, string allowed) => Problem(key, $"'{value}' is not allowed; expected {allowed}");

    /// <summary>A trimmed string; <paramref name="fallback"/> when absent or empty.</summary>
    [return: NotNullIfNotNull(nameof(fallback))]
    public string? String(string key, string? fallback = null)
    {
        _record.Read(_prefix, key, KeyUse.Value);
        return _section[key] is { } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : fallback;
    }

    /// <summary>
    /// A file path, resolved against the job file's folder when relative. Absent, it is null — or, when
    /// <paramref name="what"/> says what is expected, a problem and an empty string.
    /// </summary>
    [return: NotNullIfNotNull(nameof(what))]
    public string? FilePath(string key, string? what = null)
    {
        if (String(key) is { } path)
        {
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(_record.BaseDirectory, path));
        }
        return what is null ? null : RequiredString(key, what);
    }

    /// <summary>A string that must be given; a problem naming <paramref name="what"/> is expected when it is not.</summary>
    public string RequiredString(string key, string what)
    {
        if (String(key) is { } value)
        {
            return value;
        }
        Problem(key, $"is missing; expected {what}");
        return "";
    }

    /// <summary>One of <paramref name="allowed"/>, compared case-insensitively with <c>-</c> read as <c>_</c>, returned lower-case; <paramref name="fallback"/> when absent or not allowed.</summary>
    [return: NotNullIfNotNull(nameof(fallback))]
    public string? Choice(string key, string? fallback, params IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (String(key) is not { } value)
        {
            return fallback;
        }
        string normalized = value.ToLowerInvariant().Replace('-', '_');
        if (!allowed.Contains(normalized, StringComparer.Ordinal))
        {
            NotAllowed(key, value, $"one of {string.Join(", ", allowed)}");
            return fallback;
        }
        return normalized;
    }

    /// <summary>
    /// An integer in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when absent or not
    /// allowed. <c>allowed</c> says what is allowed in words when the range alone does not.
    /// </summary>
    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue, string? allowed = null) =>
        (int)Long(key, fallback, min, max, allowed);

    /// <summary>A 64-bit integer in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when absent or not allowed.</summary>
    public long Long(string key, long fallback, long min = long.MinValue, long max = long.MaxValue, string? allowed = null)
    {
        if (String(key) is not { } text)
        {
            return fallback;
        }
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            NotAllowed(key, text, allowed ?? SettingRange.Integers(min, max));
            return fallback;
        }
        return value;
    }

    /// <summary>A finite number within <paramref name="range"/> (any finite number when null); <paramref name="fallback"/> when absent or not allowed.</summary>
    public double Double(string key, double fallback, SettingRange? range = null, string? allowed = null)
    {
        if (String(key) is not { } text)
        {
            return fallback;
        }
        if (!TryParse(text, out double value) || range is { } r && !r.Contains(value))
        {
            NotAllowed(key, text, allowed ?? range?.Description ?? "a number");
            return fallback;
        }
        return value;
    }

    /// <summary><c>true</c> or <c>false</c>; <paramref name="fallback"/> when absent or not allowed.</summary>
    public bool Bool(string key, bool fallback)
    {
        if (String(key) is not { } text)
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
    public IReadOnlyList<int> IntList(string key, IReadOnlyList<int> fallback, int min = 1)
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
                _record.Problems.Add($"{Key(itemKey)}: '{text}' is not allowed; expected an integer of at least {min}");
                continue;
            }
            result.Add(value);
        }
        return result;
    }

    /// <summary>A list of finite numbers, read as <see cref="IntList"/> reads; null when absent or when an item is not a number.</summary>
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
                _record.Problems.Add($"{Key(itemKey)}: '{text}' is not allowed; expected a number");
                return null;
            }
            result.Add(value);
        }
        return result;
    }

    /// <summary>A list of trimmed strings, read as <see cref="IntList"/> reads; null when absent.</summary>
    public IReadOnlyList<string>? StringList(string key) => Items(key)?.Select(i => i.Text).ToList();

    /// <summary>The list at <paramref name="key"/> as text, for messages (<c>[1, 8, 8]</c>).</summary>
    public string ListText(string key) => Items(key) is { } items ? "[" + string.Join(", ", items.Select(i => i.Text)) + "]" : "";

    /// <summary>
    /// Records a problem for every key under this section that nothing asked for, suggesting the closest key that was
    /// (<c>data.batchsize: unknown key; did you mean 'batch_size'?</c>). Call it once every reader of the section has read.
    /// </summary>
    public void RejectUnknown() => _record.RejectUnknown(_section, _prefix);

    /// <summary>Throws when any problem was recorded: every problem, one per line, in an <see cref="InvalidDataException"/>.</summary>
    /// <exception cref="InvalidDataException">At least one problem was recorded.</exception>
    public void ThrowIfProblems()
    {
        if (_record.Problems.Count > 0)
        {
            throw new InvalidDataException(string.Join("\n", _record.Problems));
        }
    }

    private List<(string Key, string Text)>? Items(string key)
    {
        _record.Read(_prefix, key, KeyUse.Value);
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
