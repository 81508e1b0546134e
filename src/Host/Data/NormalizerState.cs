namespace Conduit.Host.Data;

/// <summary>
/// A fitted <see cref="FeatureNormalizer"/> as checkpoints carry it: each feature becomes
/// <c>(x - Center[i]) / Scale[i]</c>.
/// </summary>
/// <param name="Kind">The normalization.</param>
/// <param name="Center">Per feature: the training mean (<c>standardize</c>) or minimum (<c>minmax</c>); empty for <c>none</c>.</param>
/// <param name="Scale">Per feature: the training standard deviation or range, 1 where that is 0; empty for <c>none</c>.</param>
public sealed record NormalizerState(NormalizationKind Kind, float[] Center, float[] Scale);
