namespace Conduit.Host.Server.Events;

/// <summary>One event of a job, as Server-Sent Events carry it.</summary>
/// <param name="Id">Its number within the job, from 1: the SSE id a reconnecting client sends back as Last-Event-ID.</param>
/// <param name="Type">queued, started, progress, metrics, checkpoint or end.</param>
/// <param name="Data">The JSON payload.</param>
public sealed record JobEvent(long Id, string Type, string Data);
