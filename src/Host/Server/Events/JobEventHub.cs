using System.Collections.Concurrent;
using System.Text.Json;
using Conduit.Messages;
using Conduit.Messaging;

namespace Conduit.Host.Server.Events;

/// <summary>
/// Turns bus messages of the runs the server started into job events. Subscribed synchronously: appending to a
/// log is a list add under a short lock, so the training thread is not held up, and nothing is dropped.
/// </summary>
internal sealed class JobEventHub :
    IMessageHandler<BatchEnded>, IMessageHandler<MetricsLogged>, IMessageHandler<CheckpointSaved>, IMessageHandler<RunEnded>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, JobEventLog> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _jobOfRun = new(StringComparer.Ordinal);

    /// <summary>Raised on the publisher's thread when a run of a job writes a checkpoint.</summary>
    public event Action<string, CheckpointSaved>? CheckpointWritten;

    public JobEventLog Log(string jobId) => _jobs.GetOrAdd(jobId, _ => new JobEventLog());

    /// <summary>Starts a fresh log for a job that runs again (a resumed one).</summary>
    public void Restart(string jobId) => _jobs[jobId] = new JobEventLog();

    public bool TryGet(string jobId, out JobEventLog log) => _jobs.TryGetValue(jobId, out log!);

    /// <summary>From now on, messages of <paramref name="runId"/> are events of <paramref name="jobId"/>.</summary>
    public void Attach(string runId, string jobId) => _jobOfRun[runId] = jobId;

    public void Detach(string runId) => _jobOfRun.TryRemove(runId, out _);

    public void Publish(string jobId, string type, object payload, bool end = false) =>
        Log(jobId).Append(type, JsonSerializer.Serialize(payload, Json), end);

    public void Handle(BatchEnded message)
    {
        if (_jobOfRun.TryGetValue(message.RunId, out string? job))
        {
            Publish(job, "progress", new { message.Epoch, batch = message.BatchIndex, step = message.GlobalStep, loss = message.Loss, batches = message.BatchesInEpoch });
        }
    }

    public void Handle(MetricsLogged message)
    {
        if (_jobOfRun.TryGetValue(message.RunId, out string? job))
        {
            Publish(job, "metrics", new { message.Step, message.Epoch, metrics = Finite(message.Metrics) });
        }
    }

    public void Handle(CheckpointSaved message)
    {
        if (_jobOfRun.TryGetValue(message.RunId, out string? job))
        {
            Publish(job, "checkpoint", new { message.Path, message.Epoch, step = message.GlobalStep });
            CheckpointWritten?.Invoke(job, message);
        }
    }

    // The run's end is not yet the job's end: the worker publishes that once the job's state is stored.
    public void Handle(RunEnded message)
    {
        if (_jobOfRun.TryGetValue(message.RunId, out string? job))
        {
            Publish(job, "run_ended", new { status = message.Status.ToString().ToLowerInvariant(), metrics = Finite(message.Metrics), error = message.Error });
        }
    }

    // JSON has no NaN or infinity; a diverged metric is sent as null rather than failing the stream.
    private static Dictionary<string, double?> Finite(IReadOnlyDictionary<string, double> metrics) =>
        metrics.ToDictionary(m => m.Key, m => double.IsFinite(m.Value) ? m.Value : (double?)null, StringComparer.Ordinal);
}
