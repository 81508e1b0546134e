namespace Conduit.Messages;

/// <summary>A run (fit, validate, test or predict) has started.</summary>
/// <param name="RunId">The run's identifier, shared by every message of the run.</param>
/// <param name="Name">The run's display name (the job's name).</param>
/// <param name="Stage">What the run does: <c>fit</c>, <c>validate</c>, <c>test</c> or <c>predict</c>.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Hyperparameters">The resolved job configuration, flattened to <c>section:key</c> pairs.</param>
public sealed record RunStarted(
    string RunId,
    string Name,
    string Stage,
    DateTimeOffset StartedAt,
    IReadOnlyDictionary<string, string> Hyperparameters)
{
    /// <summary>The folder the run writes under (the job's <c>trainer.default_root_dir</c>, resolved); loggers default to it.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>
    /// For a run resumed from a checkpoint, the global step it resumes at: a logger keeps what it recorded up to this
    /// step and drops anything later (recorded after the checkpoint, before the interruption), so no step is duplicated.
    /// </summary>
    public long? ResumedAtStep { get; init; }
}
