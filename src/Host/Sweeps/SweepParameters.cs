using System.Text.Json.Nodes;
using Conduit.Configuration;
using Conduit.Host.Sweeps.Search;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Sweeps;

/// <summary>
/// The <c>parameters</c> of a sweep: each key a job setting path (<c>optimizer.lr</c>), each value a list
/// (<c>values: [...]</c>, or a single <c>value</c>) or a distribution (<c>uniform</c>, <c>log_uniform</c> with the
/// bounds as values, <c>int_uniform</c>) between <c>min</c> and <c>max</c>.
/// </summary>
internal static class SweepParameters
{
    private static readonly string[] Sections = ["data", "model", "optimizer", "trainer", "callbacks", "inference"];
    private static readonly string[] Distributions = ["uniform", "log_uniform", "log_uniform_values", "int_uniform", "categorical"];

    public static IReadOnlyList<ParameterSpace> Read(SettingsReader sweep, bool grid)
    {
        var spaces = new List<ParameterSpace>();
        SettingsReader parameters = sweep.Section("parameters");
        List<IConfigurationSection> children = [.. parameters.Configuration.GetChildren()];
        if (children.Count == 0)
        {
            sweep.Problem("parameters", "is missing; expected the settings to vary, such as optimizer.lr: { distribution: log_uniform, min: 0.0001, max: 0.01 }");
        }
        foreach (IConfigurationSection child in children)
        {
            string path = child.Key;
            if (path.Split('.') is not [var section, _, ..] || !Sections.Contains(section, StringComparer.Ordinal) || path.Split('.').Any(k => k.Length == 0))
            {
                parameters.Raw(path); // said once, not again as an unknown key
                parameters.Problem(path, $"is not a job setting path; expected section.key with the section one of {string.Join(", ", Sections)}, such as optimizer.lr");
                continue;
            }
            ParameterSpace? space = ConfigurationJson.From(child) is JsonArray list
                ? Choices(parameters, path, path, list) // a bare list is its values
                : Space(parameters.Section(path), grid);
            if (space is not null)
            {
                spaces.Add(space);
            }
        }
        return spaces;
    }

    private static ParameterSpace? Space(SettingsReader parameter, bool grid)
    {
        string? distribution = parameter.Choice("distribution", null, Distributions);
        if (parameter.Exists("value"))
        {
            return Choices(parameter, "value", Path(parameter), [ConfigurationJson.From(parameter.Raw("value"))]);
        }
        if (parameter.Exists("values") || distribution == "categorical")
        {
            return ConfigurationJson.From(parameter.Raw("values")) is JsonArray values
                ? Choices(parameter, "values", Path(parameter), values)
                : Problem(parameter, "values", "expected a list of values, such as [0.1, 0.2] or [[64], [128]]");
        }
        if (distribution is null)
        {
            return parameter.String("distribution") is null
                ? Problem(parameter, "", "expected values: [...], value: X, or distribution: uniform, log_uniform or int_uniform with min and max")
                : null;
        }
        if (grid)
        {
            return Problem(parameter, "distribution", $"{distribution} can only be sampled; a grid needs values: [...] (or method random or tpe)");
        }
        double min = parameter.Double("min", double.NaN), max = parameter.Double("max", double.NaN);
        if (double.IsNaN(min) || double.IsNaN(max))
        {
            return Problem(parameter, double.IsNaN(min) ? "min" : "max", "is missing; expected a number");
        }
        if (min >= max)
        {
            return Problem(parameter, "max", $"{max} is not above min {min}; expected min < max");
        }
        switch (distribution)
        {
            case "uniform":
                return new UniformSpace(Path(parameter), min, max);
            case "int_uniform" when min != Math.Floor(min) || max != Math.Floor(max):
                return Problem(parameter, "min", $"int_uniform needs whole numbers; got {min} and {max}");
            case "int_uniform":
                return new IntUniformSpace(Path(parameter), (long)min, (long)max);
            default:
                return min <= 0
                    ? Problem(parameter, "min", $"{min} is not above 0; {distribution} needs positive bounds (they are the values, not their logarithms)")
                    : new LogUniformSpace(Path(parameter), min, max);
        }
    }

    // The list at key of the reader (all of it read as a whole), the values of the parameter at path.
    private static ParameterSpace? Choices(SettingsReader reader, string key, string path, JsonArray values)
    {
        reader.Raw(key);
        if (values.Count == 0 || values.Any(v => v is null))
        {
            return Problem(reader, key, "expected a non-empty list of values");
        }
        List<JsonNode> nodes = [.. values.Select(v => v!.DeepClone())];
        if (nodes.Select(n => n.ToJsonString()).GroupBy(s => s).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Problem(reader, key, $"{twice.Key} is listed twice; each value once");
        }
        return new ChoiceSpace(path, nodes);
    }

    private static string Path(SettingsReader parameter) => parameter.Path["parameters.".Length..];

    private static ParameterSpace? Problem(SettingsReader parameter, string key, string message)
    {
        if (key.Length == 0)
        {
            parameter.Problem(message);
        }
        else
        {
            parameter.Problem(key, message);
        }
        return null;
    }
}
