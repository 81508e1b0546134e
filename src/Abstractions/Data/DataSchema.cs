namespace Conduit.Data;

/// <summary>The shape of a dataset's examples: what a model built for it must take and produce.</summary>
/// <param name="FeatureShape">The shape of one example's features (<c>[64]</c>, or <c>[1, 28, 28]</c> for an image).</param>
/// <param name="FeatureNames">The feature columns' names, when the source has names.</param>
/// <param name="Target">The kind of target.</param>
/// <param name="ClassNames">The class names, in class-index order (classification); empty otherwise.</param>
public sealed record DataSchema(
    TensorShape FeatureShape,
    IReadOnlyList<string> FeatureNames,
    TargetKind Target,
    IReadOnlyList<string> ClassNames);
