namespace Conduit.Host.Server.Jobs;

/// <summary>A submitted job as the queue keeps it.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Name">The job's name.</param>
/// <param name="State">Where it stands.</param>
/// <param name="SubmittedAt">When it was accepted.</param>
/// <param name="RunId">The run it trains as, once started.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Checkpoint">Its last checkpoint, once written.</param>
/// <param name="Resume">Whether its next start continues from its last checkpoint.</param>
public sealed record JobRecord(string Id, string Name, JobState State, DateTimeOffset SubmittedAt, string? RunId, string? Error, string? Checkpoint, bool Resume)
{
    /// <summary>Whether the job can be resumed (interrupted with a checkpoint to continue from).</summary>
    public bool Resumable => State == JobState.Interrupted && Checkpoint is not null;

    /// <summary>Whether the job has ended for good.</summary>
    public bool Finished => State is JobState.Completed or JobState.Canceled or JobState.Failed;
}
