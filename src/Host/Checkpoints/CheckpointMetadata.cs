using Conduit.Host.Training;
using Conduit.Messages;

namespace Conduit.Host.Checkpoints;

/// <summary>
/// Everything a checkpoint says about the run besides the framework's state: where the loop stands, the callbacks'
/// state, the job that produced it and what predict needs (schema, preprocessing).
/// </summary>
public sealed record CheckpointMetadata
{
    /// <summary>The framework whose state the checkpoint holds (<c>torchsharp</c>).</summary>
    public required string Framework { get; init; }

    /// <summary>The run that wrote it.</summary>
    public required string RunId { get; init; }

    /// <summary>The job's name.</summary>
    public required string JobName { get; init; }

    /// <summary>The epoch to continue in (the next one, when an epoch just ended).</summary>
    public required int Epoch { get; init; }

    /// <summary>Batches of <see cref="Epoch"/> already trained: resume starts at this batch.</summary>
    public required long BatchInEpoch { get; init; }

    /// <summary>Optimizer steps taken.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>The running sums of the unfinished epoch, so that its epoch metrics come out as if never stopped.</summary>
    public required EpochAccumulator.State Accumulator { get; init; }

    /// <summary>The latest metrics (the monitored value of ModelCheckpoint among them).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Callback name to its saved state (JSON).</summary>
    public required IReadOnlyDictionary<string, string> Callbacks { get; init; }

    /// <summary>The resolved job configuration, flattened: the hyperparameters.</summary>
    public required IReadOnlyDictionary<string, string> Job { get; init; }

    /// <summary>The training data's per-example feature shape.</summary>
    public required IReadOnlyList<int> FeatureShape { get; init; }

    /// <summary>Class names in output order (classification), else empty.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The target kind (<c>classification</c>, <c>regression</c>).</summary>
    public required string Target { get; init; }

    /// <summary>The fitted feature normalization (JSON), applied by predict; null when none.</summary>
    public string? Normalizer { get; init; }

    /// <summary>How the run stood when the checkpoint was written.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>When it was written.</summary>
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
