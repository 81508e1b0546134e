namespace Conduit.Host.Server;

/// <summary>A job as the server's queue keeps it.</summary>
/// <param name="Id">The job's id (also its folder's name).</param>
/// <param name="Name">The job's name.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="SubmittedAt">When it was accepted.</param>
public sealed record ServerJob(string Id, string Name, ServerJobStatus Status, DateTimeOffset SubmittedAt)
{
    /// <summary>When it started running (the last time, for a resumed job).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The training run's id, once it started.</summary>
    public string? RunId { get; init; }

    /// <summary>Why it failed, was canceled or interrupted.</summary>
    public string? Reason { get; init; }

    /// <summary>Whether the next run continues from the last checkpoint (a resumed interrupted job).</summary>
    public bool Resume { get; init; }

    /// <summary>The final metrics, once it ended.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>The exported model, when the job asked for one.</summary>
    public string? Model { get; init; }

    /// <summary>How many worker processes it has started in (a retry after a worker died is one more).</summary>
    public int Attempts { get; init; }

    /// <summary>The worker running it, or that ran it last: <c>host:pid</c>.</summary>
    public string? Worker { get; init; }
}

/// <summary>Where a server job stands.</summary>
public enum ServerJobStatus
{
    /// <summary>Accepted, waiting for a worker.</summary>
    Queued,

    /// <summary>Training.</summary>
    Running,

    /// <summary>Trained to its end (or stopped early by a callback).</summary>
    Completed,

    /// <summary>Failed; the reason says why.</summary>
    Failed,

    /// <summary>Canceled by a client; it checkpointed first.</summary>
    Canceled,

    /// <summary>Stopped by a server shutdown; it checkpointed and can be resumed.</summary>
    Interrupted,
}
