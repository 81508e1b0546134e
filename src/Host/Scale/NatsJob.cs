namespace Conduit.Host.Scale;

/// <summary>
/// A job on the work queue: where its file is, the file itself (for a worker that cannot see the server's disk), whether
/// it resumes, how many attempts ran before this message (a resume is a new message, whose deliveries count from
/// one: a delivery's attempt is <c>PriorAttempts</c> + its delivery count, so attempts only grow), and its data files
/// in the object store by the data key that names each.
/// </summary>
internal sealed record NatsJob(string Id, string Name, string JobFile, string Document, bool Resume, int PriorAttempts = 0,
    IReadOnlyDictionary<string, NatsDataFile>? Data = null);

/// <summary>One event of a job on the events stream: which attempt and worker sent it, its type and its JSON data.</summary>
internal sealed record NatsJobEvent(string JobId, int Attempt, string Worker, string Type, System.Text.Json.JsonElement Data);
