using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Conduit.Server.Tests.Support;

namespace Conduit.Server.Tests;

/// <summary>
/// Scale-out over NATS JetStream on loopback, all real processes: a nats-server, <c>conduit serve --nats</c> and two
/// <c>conduit worker --nats</c>. A worker killed mid-job, a server restarted mid-job, a job that cannot succeed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NatsScaleTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_job_whose_worker_is_killed_is_resumed_by_the_other_and_ends_as_an_uninterrupted_run_would()
    {
        using NatsServer nats = await NatsServer.StartAsync(Path.Combine(_temp.Path, "nats"));
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => { o.NatsUrl = nats.Url; o.AckWait = TimeSpan.FromSeconds(3); });
        using var workers = new WorkerProcesses();
        workers.Start(nats.Url);
        workers.Start(nats.Url);
        string killed = await server.SubmitAcceptedAsync(Jobs.Digits("killed", epochs: 8, batchSize: 32));

        await server.EventsAsync(killed, until: e => e.Type == "checkpoint");
        JsonElement running = await server.JobAsync(killed);
        int pid = TestServer.WorkerPid(running);
        Assert.Contains(workers.Processes, p => p.Id == pid);
        Assert.Equal(2, await CountWorkersAsync(server));
        workers.Processes.Single(p => p.Id == pid).Kill(); // SIGKILL: no ack, no goodbye; JetStream redelivers after the ack wait

        JsonElement done = await server.WaitForStatusAsync(killed, "completed", "failed");
        Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        Assert.NotEqual(pid, TestServer.WorkerPid(done));
        List<SseEvent> events = await server.EventsAsync(killed);
        Assert.True(events.Last(e => e.Type == "started").Data.GetProperty("resumed").GetBoolean());

        // The same job, uninterrupted, on the surviving worker: the same final metrics, and each step once.
        string whole = await server.SubmitAcceptedAsync(Jobs.Digits("whole", epochs: 8, batchSize: 32));
        JsonElement reference = await server.WaitForStatusAsync(whole, "completed", "failed");
        Assert.Equal(TestServer.Metrics(reference), TestServer.Metrics(done));
        Assert.Equal(await server.TrainLossAsync(reference), await server.TrainLossAsync(done));
    }

    [Fact]
    public async Task A_restarted_server_loses_nothing_and_a_poison_job_stops_at_its_delivery_limit()
    {
        using NatsServer nats = await NatsServer.StartAsync(Path.Combine(_temp.Path, "nats"));
        using var workers = new WorkerProcesses();
        workers.Start(nats.Url, slots: 2);
        string job, poison;
        await using (TestServer first = await TestServer.StartAsync(_temp.Path, o => { o.NatsUrl = nats.Url; o.AckWait = TimeSpan.FromSeconds(3); o.MaxAttempts = 2; }))
        {
            job = await first.SubmitAcceptedAsync(Jobs.Digits("survivor", epochs: 6, batchSize: 32));
            poison = await first.SubmitAcceptedAsync(Jobs.Digits("poison", epochs: 500));
            await first.EventsAsync(job, until: e => e.Type == "epoch");
        }
        // The server was away; the jobs went on. Its successor reads the events it missed from the stream.
        await using TestServer second = await TestServer.StartAsync(_temp.Path, o => { o.NatsUrl = nats.Url; o.AckWait = TimeSpan.FromSeconds(3); o.MaxAttempts = 2; });
        JsonElement survived = await second.WaitForStatusAsync(job, "completed", "failed");
        Assert.True(survived.GetProperty("status").GetString() == "completed", survived.ToString());
        Assert.Equal(1, survived.GetProperty("attempts").GetInt32());
        Assert.Equal(6, JsonDocument.Parse(await second.Client.GetStringAsync($"/api/runs/{survived.GetProperty("runId").GetString()}/metrics")).RootElement
            .GetProperty("metrics").GetProperty("val_acc").GetArrayLength());

        // Every worker process that takes the poison job is killed: after two deliveries it ends failed, with why.
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            JsonElement running = await second.WaitForAttemptAsync(poison, attempt);
            WorkerChild(running, poison).Kill();
        }
        JsonElement failed = await second.WaitForStatusAsync(poison, "failed", "completed");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("killed by signal 9", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("gave up after 2 attempt(s)", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/health")).StatusCode);
    }

    private static async Task<int> CountWorkersAsync(TestServer server) =>
        JsonDocument.Parse(await server.Client.GetStringAsync("/api/workers")).RootElement.GetArrayLength();

    // The process running job <id> under its worker (the worker itself stays: its job process died, as in a native crash).
    private static Process WorkerChild(JsonElement job, string id)
    {
        int worker = TestServer.WorkerPid(job);
        // A child is listed under the thread that started it; its command line names the job's file, in the job's folder.
        foreach (string child in Directory.GetDirectories($"/proc/{worker}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (File.ReadAllText($"/proc/{child}/cmdline").Contains(id, StringComparison.Ordinal))
            {
                return Process.GetProcessById(int.Parse(child, CultureInfo.InvariantCulture));
            }
        }
        throw new InvalidOperationException($"worker {worker} runs no process for job {id}");
    }
}
