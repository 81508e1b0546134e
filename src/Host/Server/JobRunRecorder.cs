using System.Text.Json;
using System.Text.Json.Serialization;
using Conduit.Tracking.Store;

namespace Conduit.Host.Server;

/// <summary>
/// Records the runs of jobs that ran on NATS workers in the server's experiment store, from the events the workers
/// stream, as the sqlite logger records a run in its own process: the run and its hyperparameters at start (a resumed
/// run drops what it recorded after the step it resumed at), every metric at its step (a step logged again replaces
/// its values), and how it ended. So the server stays the store's only writer, however many workers there are.
/// </summary>
/// <remarks>Called by the one task that reads the events stream, in order; not thread-safe.</remarks>
internal sealed class JobRunRecorder(string storePath) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private RunStore? _store;

    private RunStore Store => _store ??= RunStore.Open(storePath);

    /// <summary>Records what <paramref name="type"/>'s event says about run <paramref name="runId"/> (the job's, from its started event); other events say nothing.</summary>
    public void Record(string? runId, string type, JsonElement data)
    {
        switch (type)
        {
            case "run-started" when data.Deserialize<Started>(Json) is { RunId: not null, Name: not null } run:
                Store.Start(run.RunId, run.Name, run.StartedAt, run.Hyperparameters ?? [], null, run.ResumedAtStep);
                Store.Tag(run.RunId, "stage", run.Stage ?? "fit");
                break;
            case "metrics" when runId is not null && data.Deserialize<Metrics>(Json) is { Values: not null } metrics:
                Store.AddMetrics(metrics.Values.Select(m => (runId, metrics.Step, metrics.Epoch, m.Key, m.Value)));
                break;
            case "run-ended" when data.Deserialize<Ended>(Json) is { RunId: not null, Status: not null } ended:
                Store.End(ended.RunId, ended.Status, DateTimeOffset.UtcNow);
                break;
        }
    }

    /// <summary>
    /// The job of run <paramref name="runId"/> ended as <paramref name="status"/>: a run that never said how it ended
    /// (its process died on the last attempt) ends so, instead of staying "running".
    /// </summary>
    public void JobEnded(string runId, string status)
    {
        StoredRun? run = Store.Runs().FirstOrDefault(r => r.Id == runId);
        if (run is { Status: "running" })
        {
            Store.End(runId, status, DateTimeOffset.UtcNow);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _store?.Dispose();

    private sealed record Started(string? RunId, string? Name, string? Stage, DateTimeOffset StartedAt, Dictionary<string, string>? Hyperparameters, long? ResumedAtStep);

    private sealed record Metrics(long Step, int Epoch, [property: JsonPropertyName("metrics")] Dictionary<string, double>? Values);

    private sealed record Ended(string? RunId, string? Status);
}
