namespace Conduit.Messages;

/// <summary>A run (fit, validate, test or predict) has started.</summary>
public sealed record RunStarted
{
    /// <summary>The run's identifier, shared by every message of the run.</summary>
    public required string RunId { get; init; }

    /// <summary>The run's display name (the job's name).</summary>
    public required string Name { get; init; }

    /// <summary>What the run does: <c>fit</c>, <c>validate</c>, <c>test</c> or <c>predict</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The resolved job configuration, flattened to <c>section:key</c> pairs.</summary>
    public required IReadOnlyDictionary<string, string> Hyperparameters { get; init; }

    /// <summary>The folder the run writes under (the job's <c>trainer.default_root_dir</c>, resolved); loggers default to it.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>
    /// For a run resumed from a checkpoint, the global step it resumes at: a logger keeps what it recorded up to this
    /// step and drops anything later (recorded after the checkpoint, before the interruption), so no step is duplicated.
    /// </summary>
    public long? ResumedAtStep { get; init; }

    /// <summary>The model's layers and parameter counts, for a fit with <c>trainer.enable_model_summary</c> on; otherwise <see langword="null"/>.</summary>
    public Conduit.Frameworks.ModelSummary? Model { get; init; }
}
