using System.Net;
using System.Text.Json;
using Conduit.Host.Server;
using Conduit.Server.Tests.Support;

namespace Conduit.Server.Tests;

/// <summary>The job API against a real Kestrel on loopback: submit, watch, reconnect, cancel, restart and recover.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobApiTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_submitted_job_streams_its_events_to_the_end_and_lands_in_the_store()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        string id = await server.SubmitAcceptedAsync(Jobs.Digits(epochs: 3));
        List<SseEvent> events = await server.EventsAsync(id);

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Id));
        Assert.Equal("queued", events[0].Type);
        Assert.Equal("started", events[1].Type);
        Assert.Equal(3, events.Count(e => e.Type == "epoch"));
        Assert.Equal(3, events.Count(e => e.Type == "validation"));
        Assert.Contains(events, e => e.Type == "progress");
        Assert.Contains(events, e => e.Type == "checkpoint" && e.Data.GetProperty("file").GetString() == "last.ckpt");
        SseEvent end = events[^1];
        Assert.Equal("end", end.Type);
        Assert.Equal("completed", end.Data.GetProperty("status").GetString());
        Assert.InRange(end.Data.GetProperty("metrics").GetProperty("test_acc").GetDouble(), 0.8, 1.0);

        JsonElement job = await server.JobAsync(id);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        string runId = job.GetProperty("runId").GetString()!;
        JsonElement runs = JsonDocument.Parse(await server.Client.GetStringAsync("/api/runs")).RootElement;
        Assert.Contains(runs.EnumerateArray(), r => r.GetProperty("id").GetString() == runId && r.GetProperty("status").GetString() == "completed");
        JsonElement metrics = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/{runId}/metrics")).RootElement.GetProperty("metrics");
        Assert.Equal(3, metrics.GetProperty("val_acc").GetArrayLength());

        // A client that reconnects with the last id it saw gets exactly the rest.
        List<SseEvent> rest = await server.EventsAsync(id, after: 5);
        Assert.Equal(events.Skip(5).Select(e => (e.Id, e.Type, e.Data.ToString())), rest.Select(e => (e.Id, e.Type, e.Data.ToString())));
    }

    [Fact]
    public async Task Canceling_a_running_job_checkpoints_and_ends_it_as_canceled()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        string id = await server.SubmitAcceptedAsync(Jobs.Digits(epochs: 500));
        await server.EventsAsync(id, until: e => e.Type == "epoch");
        using HttpResponseMessage cancel = await server.Client.DeleteAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        List<SseEvent> events = await server.EventsAsync(id);
        Assert.Equal("canceled", events[^1].Data.GetProperty("status").GetString());
        JsonElement job = await server.WaitForStatusAsync(id, "canceled");
        Assert.True(job.GetProperty("resume").GetBoolean() is false);
        string checkpoints = Path.Combine(_temp.Path, "jobs", id, "digits-srv", "checkpoints");
        Assert.True(File.Exists(Path.Combine(checkpoints, "last.ckpt")), string.Join(", ", Directory.GetFiles(checkpoints)));
        Assert.True(events.Count(e => e.Type == "epoch") < 500);
    }

    [Fact]
    public async Task A_restarted_server_runs_what_was_queued_and_resumes_what_it_interrupted()
    {
        string interrupted, queued;
        await using (TestServer first = await TestServer.StartAsync(_temp.Path))
        {
            interrupted = await first.SubmitAcceptedAsync(Jobs.Digits("long-job", epochs: 1000, batchSize: 8, trainer: ", \"max_steps\": 800"));
            queued = await first.SubmitAcceptedAsync(Jobs.Digits("queued-job", epochs: 2));
            await first.EventsAsync(interrupted, until: e => e.Type == "epoch");
            await first.StopAsync(); // as SIGTERM: the running job checkpoints; nothing accepted is lost
        }

        await using TestServer second = await TestServer.StartAsync(_temp.Path);
        JsonElement stopped = await second.JobAsync(interrupted);
        Assert.True(stopped.GetProperty("status").GetString() == "interrupted", stopped.ToString());
        Assert.True(stopped.GetProperty("resume").GetBoolean());
        Assert.Equal("completed", (await second.WaitForStatusAsync(queued, "completed", "failed")).GetProperty("status").GetString());

        using HttpResponseMessage resume = await second.Client.PostAsync($"/api/jobs/{interrupted}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        List<SseEvent> events = await second.EventsAsync(interrupted);
        Assert.True(events.Single(e => e.Type == "started").Data.GetProperty("resumed").GetBoolean());
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());
        // The resumed run went on from its checkpoint, in the same run, each step recorded once, to the job's 800 steps.
        Assert.InRange(events.First(e => e.Type == "progress").Data.GetProperty("globalStep").GetInt64(), 2, 800);
        JsonElement finished = await second.JobAsync(interrupted);
        string runId = finished.GetProperty("runId").GetString()!;
        Assert.Equal(stopped.GetProperty("runId").GetString(), runId);
        JsonElement loss = JsonDocument.Parse(await second.Client.GetStringAsync($"/api/runs/{runId}/metrics")).RootElement.GetProperty("metrics").GetProperty("train_loss");
        long[] steps = [.. loss.EnumerateArray().Select(p => p.GetProperty("step").GetInt64())];
        Assert.Equal(steps.Distinct().Order(), steps);
        Assert.InRange(steps[^1], 750, 800);
    }

    [Fact]
    public async Task Jobs_left_running_by_a_crashed_server_are_marked_interrupted()
    {
        using (ServerJobStore store = ServerJobStore.Open(Path.Combine(_temp.Path, "conduit.db")))
        {
            var job = new ServerJob("crashed-1", "digits-srv", ServerJobStatus.Queued, DateTimeOffset.UtcNow);
            store.Add(job);
            store.Update(job with { Status = ServerJobStatus.Running, StartedAt = DateTimeOffset.UtcNow });
        }
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        JsonElement recovered = await server.JobAsync("crashed-1");
        Assert.Equal("interrupted", recovered.GetProperty("status").GetString());
        Assert.Contains("resume", recovered.GetProperty("reason").GetString(), StringComparison.Ordinal);
        List<SseEvent> events = await server.EventsAsync("crashed-1");
        Assert.Equal("interrupted", Assert.Single(events).Data.GetProperty("status").GetString());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerCollection
{
    // Servers train with libtorch, whose random generator and thread count are process-wide.
    public const string Name = "servers (libtorch is process-wide)";
}
