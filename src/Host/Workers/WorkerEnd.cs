namespace Conduit.Host.Workers;

/// <summary>How a job ended in its worker: the last event a worker sends before it exits.</summary>
/// <param name="Status"><c>completed</c>, <c>failed</c>, <c>canceled</c> or <c>interrupted</c>.</param>
/// <param name="Reason">Why it failed, was canceled or interrupted.</param>
/// <param name="Metrics">The final metrics.</param>
/// <param name="Model">The exported model, when the job asked for one.</param>
/// <param name="Retry">Whether running it again could end otherwise (false for an invalid job or a diverged run).</param>
internal sealed record WorkerEnd(string Status, string? Reason, IReadOnlyDictionary<string, double>? Metrics, string? Model, bool Retry = false);
