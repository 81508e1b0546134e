namespace Conduit.Messages;

/// <summary>A run has ended; the last message of a run.</summary>
public sealed record RunEnded
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>How it ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The final metrics (last epoch, test metrics).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>How long the run took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The reason, when it failed or was stopped.</summary>
    public string? Error { get; init; }
}

