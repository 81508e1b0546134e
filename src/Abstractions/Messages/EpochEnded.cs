namespace Conduit.Messages;

/// <summary>A training epoch has ended (after its validation, if any).</summary>
public sealed record EpochEnded
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The epoch, counted from 0.</summary>
    public required int Epoch { get; init; }

    /// <summary>Optimizer steps taken so far in the run.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>The epoch's aggregated metrics, training and validation.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>How long the epoch took.</summary>
    public required TimeSpan Duration { get; init; }
}

