namespace Conduit.Messages;

/// <summary>Where a run stands, or how it ended.</summary>
public enum RunStatus
{
    /// <summary>Accepted, not started.</summary>
    Queued,

    /// <summary>Training or evaluating.</summary>
    Running,

    /// <summary>Reached its limits (epochs, steps) normally.</summary>
    Completed,

    /// <summary>Stopped early on request (a callback such as early stopping, or a user).</summary>
    Stopped,

    /// <summary>Canceled by a user; its last checkpoint can be resumed.</summary>
    Canceled,

    /// <summary>Ended by a host shutdown or crash; its last checkpoint can be resumed.</summary>
    Interrupted,

    /// <summary>Ended by an error.</summary>
    Failed,
}
