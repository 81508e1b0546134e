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
    string? LastCheckpoint)
{
    /// <summary>How long the training loop waited for batches (see <see cref="TrainingLoopTime"/>).</summary>
    public TimeSpan DataWait { get; init; }

    /// <summary>How long the training loop ran, waits for data included: the model's steps took the rest.</summary>
    public TimeSpan TrainingLoopTime { get; init; }

    /// <summary>The model the job's <c>export</c> key asked for, exported and checked; null when none was asked for or it failed.</summary>
    public Inference.ExportReport? Export { get; init; }

    /// <summary>Why the export the job asked for failed (the run's training and checkpoints stand); null otherwise.</summary>
    public string? ExportError { get; init; }

    /// <summary>The share of the training loop spent waiting for data (0 when nothing was trained).</summary>
    public double DataWaitFraction => TrainingLoopTime > TimeSpan.Zero ? DataWait / TrainingLoopTime : 0;
}
