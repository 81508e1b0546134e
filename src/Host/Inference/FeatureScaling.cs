namespace Conduit.Host.Inference;

/// <summary>A fitted per-feature normalization: feature <c>i</c> becomes <c>(x - Center[i]) / Scale[i]</c>.</summary>
/// <param name="Kind">What was fitted (<c>standardize</c>, <c>minmax</c>), for the record.</param>
/// <param name="Center">Per feature: what is subtracted.</param>
/// <param name="Scale">Per feature: what the difference is divided by (never 0).</param>
public sealed record FeatureScaling(string Kind, IReadOnlyList<float> Center, IReadOnlyList<float> Scale);
