namespace Conduit.Host.Server.Jobs;

/// <summary>A job as the API shows it.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Name">The job's name.</param>
/// <param name="State">Where it stands.</param>
/// <param name="SubmittedAt">When it was accepted.</param>
/// <param name="RunId">Its run in the experiment store, once started.</param>
/// <param name="Error">Why it failed or stopped.</param>
/// <param name="Checkpoint">Its last checkpoint.</param>
/// <param name="Resumable">Whether <c>POST /api/jobs/{id}/resume</c> continues it.</param>
public sealed record JobView(string Id, string Name, JobState State, DateTimeOffset SubmittedAt, string? RunId, string? Error, string? Checkpoint, bool Resumable)
{
    internal static JobView Of(JobRecord job) => new(job.Id, job.Name, job.State, job.SubmittedAt, job.RunId, job.Error, job.Checkpoint, job.Resumable);
}
