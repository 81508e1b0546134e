using Conduit.Messages;

namespace Conduit.Host.Training;

/// <summary>How a stage ended, and its final metrics.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Status">Completed, stopped, canceled or failed.</param>
/// <param name="Metrics">The final metrics (last epoch's train and validation, and test when run).</param>
/// <param name="Position">Where the loop stood at the end.</param>
/// <param name="Reason">Why it stopped early, when it did.</param>
/// <param name="LastCheckpoint">The last checkpoint written, if any.</param>
public sealed record RunOutcome(
    string RunId,
    RunStatus Status,
    IReadOnlyDictionary<string, double> Metrics,
    TrainerPosition Position,
    string? Reason,
    string? LastCheckpoint);
