using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Sweeps;

/// <summary>
/// A configuration (a JSON or YAML file as Microsoft.Extensions.Configuration reads it) back as a JSON document:
/// sections whose keys are 0, 1, 2... become arrays, values that read as numbers or booleans become those. The job
/// a sweep names is read so, whatever its format, and each trial's job is written from it as JSON.
/// </summary>
internal static class ConfigurationJson
{
    /// <summary>The document under <paramref name="section"/> (the whole configuration for its root).</summary>
    public static JsonNode? From(IConfiguration section)
    {
        List<IConfigurationSection> children = [.. section.GetChildren()];
        if (children.Count == 0)
        {
            return section is IConfigurationSection { Value: { } value } ? Scalar(value) : null;
        }
        if (IsList(children))
        {
            var array = new JsonArray();
            foreach (IConfigurationSection child in children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
            {
                array.Add(From(child));
            }
            return array;
        }
        var json = new JsonObject();
        foreach (IConfigurationSection child in children)
        {
            json[child.Key] = From(child);
        }
        return json;
    }

    /// <summary>A value as the JSON it reads as: a number, a boolean, else a string.</summary>
    public static JsonValue Scalar(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer) ? JsonValue.Create(integer)
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) ? JsonValue.Create(number)
        : bool.TryParse(value, out bool flag) ? JsonValue.Create(flag)
        : JsonValue.Create(value);

    // Keys 0..n-1, each once: what a JSON or YAML list becomes in a configuration.
    private static bool IsList(List<IConfigurationSection> children)
    {
        var seen = new bool[children.Count];
        foreach (IConfigurationSection child in children)
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= seen.Length || seen[index])
            {
                return false;
            }
            seen[index] = true;
        }
        return true;
    }
}
