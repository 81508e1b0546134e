namespace Conduit.Messages;

/// <summary>A training epoch has started.</summary>
public readonly record struct EpochStarted
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The epoch, counted from 0.</summary>
    public required int Epoch { get; init; }

    /// <summary>The epoch limit, when there is one.</summary>
    public int? MaxEpochs { get; init; }

    /// <summary>The number of training batches in this epoch, when known.</summary>
    public long? BatchesInEpoch { get; init; }
}

