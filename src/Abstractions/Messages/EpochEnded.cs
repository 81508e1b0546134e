namespace Conduit.Messages;

/// <summary>A training epoch has ended (after its validation, if any).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Epoch">The epoch, counted from 0.</param>
/// <param name="GlobalStep">Optimizer steps taken so far in the run.</param>
/// <param name="Metrics">The epoch's aggregated metrics, training and validation.</param>
/// <param name="Duration">How long the epoch took.</param>
public sealed record EpochEnded(string RunId, int Epoch, long GlobalStep, IReadOnlyDictionary<string, double> Metrics, TimeSpan Duration);
