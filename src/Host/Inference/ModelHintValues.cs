using System.Globalization;
using System.Text.Json;
using Conduit.Data;

namespace Conduit.Host.Inference;

/// <summary>
/// Reads the values of <see cref="ModelHints"/> as <c>predict</c>'s options and the sidecar file give them, so both
/// accept the same words and refuse the same way: each problem one line naming where the value came from.
/// </summary>
internal static class ModelHintValues
{
    /// <summary><c>classification</c> or <c>regression</c>.</summary>
    /// <exception cref="InvalidDataException">Anything else.</exception>
    public static TargetKind Task(string value, string where) => value.Trim().ToLowerInvariant() switch
    {
        "classification" => TargetKind.Classification,
        "regression" => TargetKind.Regression,
        _ => throw new InvalidDataException($"{where}: '{value}' is not allowed; expected classification or regression"),
    };

    /// <summary><c>probabilities</c> or <c>logits</c>.</summary>
    /// <exception cref="InvalidDataException">Anything else.</exception>
    public static OutputKind Kind(string value, string where) => value.Trim().ToLowerInvariant() switch
    {
        "probabilities" => OutputKind.Probabilities,
        "logits" => OutputKind.Logits,
        _ => throw new InvalidDataException($"{where}: '{value}' is not allowed; expected probabilities or logits"),
    };

    /// <summary>A finite number; <paramref name="nonZero"/> refuses 0 (a scale).</summary>
    /// <exception cref="InvalidDataException">Not such a number.</exception>
    public static float Number(string value, string where, bool nonZero) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float number) && float.IsFinite(number) && (!nonZero || number != 0)
            ? number
            : throw new InvalidDataException($"{where}: '{value}' is not allowed; expected a finite number{(nonZero ? " other than 0" : "")}");

    /// <summary>
    /// Class names from a file holding one per line (relative to <paramref name="folder"/>), or from a comma list.
    /// </summary>
    /// <exception cref="InvalidDataException">Neither, or a name is empty or repeated.</exception>
    public static ClassList Classes(string value, string where, string folder)
    {
        string file = Path.Combine(folder, value);
        IReadOnlyList<string> names;
        string source = where;
        if (File.Exists(file))
        {
            names = [.. File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0)];
            source = $"{where} {value}";
        }
        else if (value.Contains(',', StringComparison.Ordinal))
        {
            names = [.. value.Split(',').Select(n => n.Trim())];
        }
        else
        {
            throw new InvalidDataException($"{where}: no file '{value}'; expected a file with one class name per line, or a comma list such as cat,dog");
        }
        return Classes(names, source);
    }

    /// <summary>Class names as given; each must be there once.</summary>
    /// <exception cref="InvalidDataException">A name is empty or repeated, or there are fewer than two.</exception>
    public static ClassList Classes(IReadOnlyList<string> names, string where)
    {
        if (names.Count < 2)
        {
            throw new InvalidDataException($"{where}: {names.Count} class name{(names.Count == 1 ? "" : "s")}; expected one per class of the model's output, at least two");
        }
        if (names.FirstOrDefault(n => n.Length == 0) is not null)
        {
            throw new InvalidDataException($"{where}: class {names.ToList().IndexOf("")} has an empty name; expected a name for every class");
        }
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidDataException($"{where}: class '{twice.Key}' is named twice; expected each name once");
        }
        return new ClassList(names, where);
    }

    /// <summary>Per-feature statistics from a JSON file <c>{"mean": [...], "std": [...]}</c>.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not such an object.</exception>
    public static FeatureStatistics StatisticsFile(string path, string where)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{where}: no file '{path}'; expected a JSON file {{\"mean\": [...], \"std\": [...]}}");
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            return Statistics(document.RootElement, $"{where} {path}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: {path} is not JSON: {e.Message}", e);
        }
    }

    /// <summary>Per-feature statistics from a JSON object <c>{"mean": [...], "std": [...]}</c> of equal lengths.</summary>
    /// <exception cref="InvalidDataException">It is not such an object, or a standard deviation is 0.</exception>
    public static FeatureStatistics Statistics(JsonElement json, string where)
    {
        string? unknown = json.ValueKind == JsonValueKind.Object ? json.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("mean" or "std")) : "";
        if (unknown is not null)
        {
            throw new InvalidDataException($"{where}: {(unknown.Length > 0 ? $"unknown key '{unknown}'" : $"{json.ValueKind.ToString().ToLowerInvariant()}")}; expected {{\"mean\": [...], \"std\": [...]}} with one number per feature in each");
        }
        float[] mean = Floats(json, "mean", where), std = Floats(json, "std", where);
        if (mean.Length != std.Length)
        {
            throw new InvalidDataException($"{where}: {mean.Length} means but {std.Length} standard deviations; expected one of each per feature");
        }
        int zero = Array.FindIndex(std, s => s == 0);
        if (zero >= 0)
        {
            throw new InvalidDataException($"{where}: std[{zero}] is 0; expected standard deviations other than 0");
        }
        return new FeatureStatistics(mean, std, where);
    }

    private static float[] Floats(JsonElement json, string key, string where)
    {
        if (!json.TryGetProperty(key, out JsonElement array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw new InvalidDataException($"{where}: \"{key}\" is missing or empty; expected an array of one number per feature");
        }
        var values = new float[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !float.IsFinite(values[i] = item.GetSingle()))
            {
                throw new InvalidDataException($"{where}: {key}[{i}] is {item.GetRawText()}; expected a finite number");
            }
            i++;
        }
        return values;
    }
}
