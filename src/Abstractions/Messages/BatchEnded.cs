namespace Conduit.Messages;

/// <summary>A training batch has been processed (published on the training thread after every batch).</summary>
/// <remarks>A value type, so that publishing it allocates nothing.</remarks>
public readonly record struct BatchEnded
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The epoch, counted from 0.</summary>
    public required int Epoch { get; init; }

    /// <summary>The batch's index within the epoch, counted from 0.</summary>
    public required long BatchIndex { get; init; }

    /// <summary>Optimizer steps taken so far in the run.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>The batch's training loss.</summary>
    public required double Loss { get; init; }

    /// <summary>The number of examples in the batch.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The number of batches in the epoch, when known.</summary>
    public long? BatchesInEpoch { get; init; }
}

