namespace Conduit.Data;

/// <summary>A batch of examples: features and, for supervised data, targets; the first axis is the example.</summary>
/// <param name="Features">The inputs, shape <c>[N, ...]</c>.</param>
/// <param name="Targets">The labels (class indices as <see cref="long"/>, or values), shape <c>[N]</c> or <c>[N, K]</c>; <see langword="null"/> for unlabelled data.</param>
public sealed record DataBatch(ITensorBuffer Features, ITensorBuffer? Targets)
{
    /// <summary>The number of examples in the batch.</summary>
    public int Count => Features.Shape.Rank == 0 ? 0 : Features.Shape[0];
}
