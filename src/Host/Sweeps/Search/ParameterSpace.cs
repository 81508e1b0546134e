namespace Conduit.Host.Sweeps.Search;

/// <summary>Where one swept setting (a job setting path such as <c>optimizer.lr</c>) takes its values from.</summary>
/// <param name="Path">The job setting path, dots between sections.</param>
public abstract record ParameterSpace(string Path);

/// <summary>One of a list of values, each a JSON value (<c>0.1</c>, <c>"relu"</c>, <c>[64, 64]</c>).</summary>
public sealed record ChoiceSpace(string Path, IReadOnlyList<System.Text.Json.Nodes.JsonNode> Values) : ParameterSpace(Path);

/// <summary>A real number drawn uniformly from [<paramref name="Min"/>, <paramref name="Max"/>].</summary>
public sealed record UniformSpace(string Path, double Min, double Max) : ParameterSpace(Path);

/// <summary>A positive real number whose logarithm is uniform over [log <paramref name="Min"/>, log <paramref name="Max"/>].</summary>
public sealed record LogUniformSpace(string Path, double Min, double Max) : ParameterSpace(Path);

/// <summary>An integer drawn uniformly from [<paramref name="Min"/>, <paramref name="Max"/>], both included.</summary>
public sealed record IntUniformSpace(string Path, long Min, long Max) : ParameterSpace(Path);
