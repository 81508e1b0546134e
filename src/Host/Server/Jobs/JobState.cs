namespace Conduit.Host.Server.Jobs;

/// <summary>Where a submitted job stands.</summary>
public enum JobState
{
    /// <summary>Accepted and waiting for a worker (kept across restarts).</summary>
    Queued,

    /// <summary>A worker is training it.</summary>
    Running,

    /// <summary>Trained to the end (or stopped early by a callback).</summary>
    Completed,

    /// <summary>Canceled by <c>DELETE /api/jobs/{id}</c>; its last checkpoint is kept.</summary>
    Canceled,

    /// <summary>Training threw, or the job was not valid against the installed plugins.</summary>
    Failed,

    /// <summary>The server stopped while it ran; it resumes from its last checkpoint on <c>POST /api/jobs/{id}/resume</c>.</summary>
    Interrupted,
}
