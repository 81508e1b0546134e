namespace Conduit.Messages;

/// <summary>
/// A command: asks the trainer to stop the run after the current batch (early stopping, a user, a server).
/// The trainer checkpoints if configured to, and ends the run as <see cref="RunStatus.Stopped"/>.
/// </summary>
/// <param name="RunId">The run to stop.</param>
/// <param name="Reason">Why, in one sentence; shown to the user and recorded.</param>
/// <param name="Requester">Who asked (a callback's name, <c>user</c>, ...).</param>
public sealed record StopRun(string RunId, string Reason, string Requester);
