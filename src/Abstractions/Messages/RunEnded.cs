namespace Conduit.Messages;

/// <summary>A run has ended; the last message of a run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Metrics">The final metrics (last epoch, test metrics).</param>
/// <param name="Duration">How long the run took.</param>
/// <param name="Error">The reason, when it failed or was stopped.</param>
public sealed record RunEnded(string RunId, RunStatus Status, IReadOnlyDictionary<string, double> Metrics, TimeSpan Duration, string? Error);
