namespace Conduit.Host.Data;

/// <summary>A dataset split for training: disjoint parts that together hold every example.</summary>
/// <param name="Train">The examples to train on.</param>
/// <param name="Validation">The examples to validate on; null when the validation fraction is 0.</param>
/// <param name="Test">The examples to test on; null when the test fraction is 0.</param>
public sealed record DataSplit(InMemoryDataset Train, InMemoryDataset? Validation, InMemoryDataset? Test)
{
    /// <summary>The source rows of <see cref="Train"/>, in its order: what a run can record to reproduce the split.</summary>
    public IReadOnlyList<int> TrainRows { get; init; } = [];

    /// <summary>The source rows of <see cref="Validation"/>, in its order (empty when there is none).</summary>
    public IReadOnlyList<int> ValidationRows { get; init; } = [];

    /// <summary>The source rows of <see cref="Test"/>, in its order (empty when there is none).</summary>
    public IReadOnlyList<int> TestRows { get; init; } = [];
}
