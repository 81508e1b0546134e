using System.Text.Json.Nodes;

namespace Conduit.Host.Sweeps.Search;

/// <summary>
/// The values of one trial, in the order the sweep declares its parameters. Two sets are the same trial when their
/// <see cref="Key"/>s are equal, which is how a sweep never runs one parameter set twice.
/// </summary>
public sealed class ParameterSet : IEquatable<ParameterSet>
{
    private readonly KeyValuePair<string, JsonNode>[] _values;

    /// <summary>A set of <paramref name="values"/>, path to value, kept in the order given.</summary>
    public ParameterSet(IEnumerable<KeyValuePair<string, JsonNode>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = [.. values.Select(v => KeyValuePair.Create(v.Key, v.Value.DeepClone()))];
        var json = new JsonObject();
        foreach (var (path, value) in _values)
        {
            json[path] = value.DeepClone();
        }
        Key = json.ToJsonString();
    }

    /// <summary>Path to value, in the sweep's order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode>> Values => _values;

    /// <summary>The set as one JSON object (<c>{"optimizer.lr":0.001,"model.hidden":[128]}</c>): its identity, and how it is stored.</summary>
    public string Key { get; }

    /// <summary>The value of <paramref name="path"/>.</summary>
    public JsonNode this[string path] => _values.First(v => v.Key == path).Value;

    /// <summary>The set stored as <paramref name="key"/>.</summary>
    public static ParameterSet Parse(string key) =>
        new(JsonNode.Parse(key)!.AsObject().Select(p => KeyValuePair.Create(p.Key, p.Value!.DeepClone())));

    /// <inheritdoc/>
    public bool Equals(ParameterSet? other) => other is not null && other.Key == Key;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ParameterSet);

    /// <inheritdoc/>
    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Key;
}
