using Conduit.Data;
using Conduit.Host.Jobs;
using Conduit.Training;

namespace Conduit.Host.Training;

/// <summary>One run of a job: its identity, data shape, batching, checkpoint folder and callbacks.</summary>
/// <param name="RunId">The run's id (shared by every message of the run).</param>
/// <param name="Job">The job.</param>
/// <param name="Framework">The framework adapter's name, recorded in checkpoints.</param>
/// <param name="Schema">The training data's schema.</param>
/// <param name="BatchSize">Examples per batch.</param>
/// <param name="Callbacks">The callbacks, in hook order.</param>
public sealed record TrainerRun(string RunId, JobDefinition Job, string Framework, DataSchema Schema, int BatchSize, IReadOnlyList<ITrainerCallback> Callbacks)
{
    /// <summary>Whether training batches are shuffled (with the trainer's seed, per epoch).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Whether to drop a last, smaller training batch.</summary>
    public bool DropLast { get; init; }

    /// <summary>Where checkpoints go; null when checkpointing is off.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>The fitted feature normalizer as JSON, stored in checkpoints for predict.</summary>
    public string? Normalizer { get; init; }

    /// <summary>Runs before a checkpoint is committed: waits until every logger has persisted what it was sent.</summary>
    internal Action? CheckpointBarrier { get; init; }

    /// <summary>The run's trainer context, which the trainer binds itself to (callbacks hold it from their creation).</summary>
    internal Runs.TrainerContext? Context { get; init; }
}
