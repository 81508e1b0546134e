using Microsoft.Extensions.Configuration;

namespace Conduit.Configuration;

/// <summary>How a key was read: a value (children included, as a list is), a section whose children are read in turn, or all of it at once.</summary>
internal enum KeyUse
{
    Value,
    Section,
    Whole,
}

/// <summary>What every reader of one job shares: the problems found and the keys asked for, by section.</summary>
internal sealed class SettingsRecord(string baseDirectory)
{
    // Section path -> its keys in the order first asked for (the order "expected one of" lists them).
    private readonly Dictionary<string, List<string>> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, KeyUse> _uses = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Problems { get; } = [];

    public string BaseDirectory { get; } = baseDirectory;

    public IReadOnlyList<string> KeysOf(string section) => _keys.TryGetValue(section, out List<string>? keys) ? keys.ToArray() : [];

    public void Read(string section, string key, KeyUse use)
    {
        string path = Join(section, key);
        if (_uses.TryGetValue(path, out KeyUse previous))
        {
            // Read as a whole once, it stays whole; a value read as a section later is a section.
            _uses[path] = previous == KeyUse.Whole || use == KeyUse.Whole ? KeyUse.Whole : use == KeyUse.Section ? KeyUse.Section : previous;
            return;
        }
        _uses[path] = use;
        if (!_keys.TryGetValue(section, out List<string>? keys))
        {
            _keys[section] = keys = [];
        }
        keys.Add(key);
    }

    public void RejectUnknown(IConfiguration configuration, string section)
    {
        if (_uses.TryGetValue(section, out KeyUse use) && use == KeyUse.Whole)
        {
            return;
        }
        List<string> known = _keys.TryGetValue(section, out List<string>? keys) ? keys : [];
        foreach (IConfigurationSection child in configuration.GetChildren())
        {
            string path = Join(section, child.Key);
            bool unset = child.Value is "" && !child.GetChildren().Any(); // key= unsets a key
            if (!_uses.TryGetValue(path, out KeyUse childUse) && !unset)
            {
                Problems.Add($"{path}: unknown key; {Suggestion(child.Key, known)}");
                Read(section, child.Key, KeyUse.Whole); // reported once, however often the check runs
            }
            else if (!unset && childUse == KeyUse.Section)
            {
                RejectUnknown(child, path);
            }
        }
    }

    private static string Suggestion(string key, List<string> known)
    {
        if (known.Count == 0)
        {
            return "this section takes no settings";
        }
        string lower = key.ToLowerInvariant();
        string closest = known.MinBy(k => EditDistance(k.ToLowerInvariant(), lower))!;
        bool near = EditDistance(closest.ToLowerInvariant(), lower) <= Math.Max(2, key.Length / 3)
            || closest.Replace("_", "", StringComparison.Ordinal).Equals(key.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        return $"{(near ? $"did you mean '{closest}'? " : "")}expected one of {string.Join(", ", known)}";
    }

    private static string Join(string section, string key) => section.Length == 0 ? key : $"{section}.{key}";

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
}
