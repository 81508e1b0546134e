using Conduit.Messages;

namespace Conduit.Host.Training;

/// <summary>
/// A command on the bus, behind <see cref="Conduit.Training.ITrainerContext"/>'s stop request: asks the trainer to stop the run after the current batch (early stopping, a user, a server).
/// The trainer checkpoints if configured to, and ends the run as <see cref="RunStatus.Stopped"/>.
/// </summary>
internal sealed record StopRun
{
    /// <summary>The run to stop.</summary>
    public required string RunId { get; init; }

    /// <summary>Why, in one sentence; shown to the user and recorded.</summary>
    public required string Reason { get; init; }

    /// <summary>Who asked (a callback's name, <c>user</c>, ...).</summary>
    public required string Requester { get; init; }
}

