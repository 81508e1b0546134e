using System.Globalization;
using System.Text.Json.Nodes;

namespace Conduit.Host.Sweeps.Search;

/// <summary>What the search methods share: checking the spaces, drawing a value uniformly, and the sets already taken.</summary>
internal static class SpaceSampler
{
    /// <summary>How many draws a method makes before it decides that no untried set remains.</summary>
    public const int MaxTries = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> unless every space can be drawn from and no path is swept twice.</summary>
    public static ParameterSpace[] Validate(IReadOnlyList<ParameterSpace> spaces)
    {
        ArgumentNullException.ThrowIfNull(spaces);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var space in spaces)
        {
            ArgumentNullException.ThrowIfNull(space, nameof(spaces));
            if (!paths.Add(space.Path))
            {
                throw new ArgumentException($"The parameter '{space.Path}' is swept twice.", nameof(spaces));
            }
            string? problem = space switch
            {
                ChoiceSpace c when c.Values is null || c.Values.Count == 0 => "has no values to choose from",
                ChoiceSpace c when c.Values.Any(v => v is null) => "has a null among its values",
                UniformSpace u when !double.IsFinite(u.Max - u.Min) || u.Min > u.Max => "needs finite bounds with min <= max",
                LogUniformSpace l when !(l.Min > 0) || !double.IsFinite(l.Max) || l.Min > l.Max => "needs bounds with 0 < min <= max",
                IntUniformSpace i when i.Min > i.Max || i.Max == long.MaxValue => "needs min <= max < long.MaxValue",
                ChoiceSpace or UniformSpace or LogUniformSpace or IntUniformSpace => null,
                _ => $"is of an unknown kind ({space.GetType().Name})",
            };
            if (problem is not null)
            {
                throw new ArgumentException($"The parameter '{space.Path}' {problem}.", nameof(spaces));
            }
        }
        return [.. spaces];
    }

    /// <summary>A value of <paramref name="space"/>, uniform over it (log-uniform for <see cref="LogUniformSpace"/>).</summary>
    public static JsonNode Draw(ParameterSpace space, Random random) => space switch
    {
        ChoiceSpace c => c.Values[random.Next(c.Values.Count)].DeepClone(),
        UniformSpace u => JsonValue.Create(u.Min + (random.NextDouble() * (u.Max - u.Min))),
        // exp(log min) can land a rounding error outside the bounds: clamp it back.
        LogUniformSpace l => JsonValue.Create(Math.Clamp(
            Math.Exp(Math.Log(l.Min) + (random.NextDouble() * (Math.Log(l.Max) - Math.Log(l.Min)))), l.Min, l.Max)),
        IntUniformSpace i => JsonValue.Create(random.NextInt64(i.Min, i.Max + 1)),
        _ => throw new ArgumentException($"Unknown parameter space {space.GetType().Name}.", nameof(space)),
    };

    /// <summary>One draw of every space, as a set.</summary>
    public static ParameterSet DrawSet(IReadOnlyList<ParameterSpace> spaces, Random random) =>
        new(spaces.Select(s => KeyValuePair.Create(s.Path, Draw(s, random))).ToList());

    /// <summary>The first draw from <paramref name="random"/> whose key is not <paramref name="taken"/>; null after <see cref="MaxTries"/>.</summary>
    public static ParameterSet? DrawUntaken(IReadOnlyList<ParameterSpace> spaces, Random random, HashSet<string> taken)
    {
        for (int i = 0; i < MaxTries; i++)
        {
            var set = DrawSet(spaces, random);
            if (!taken.Contains(set.Key))
            {
                return set;
            }
        }
        return null;
    }

    /// <summary>The keys of every set in <paramref name="history"/>, ended or running.</summary>
    public static HashSet<string> Keys(IReadOnlyList<Observation> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var observation in history)
        {
            keys.Add(observation.Parameters.Key);
        }
        return keys;
    }

    /// <summary>The value of <paramref name="path"/> in <paramref name="set"/>, or null if the set lacks it.</summary>
    public static JsonNode? ValueOf(ParameterSet set, string path)
    {
        foreach (var (key, value) in set.Values)
        {
            if (key == path)
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>A JSON number as a double, whatever .NET type holds it (a parsed key, a long, a double); null if not a number.</summary>
    public static double? AsNumber(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
