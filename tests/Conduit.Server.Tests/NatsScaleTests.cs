using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Conduit.Host.Scale;
using Conduit.Server.Tests.Support;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Conduit.Server.Tests;

/// <summary>
/// Scale-out over NATS JetStream on loopback, all real processes: a nats-server, <c>conduit serve --nats</c> and two
/// <c>conduit worker --nats</c>, sharing no folder with the server unless a test says so. A worker killed mid-job, a
/// worker cut off but alive, a server restarted mid-job, a job that cannot succeed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NatsScaleTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // The model goes back to the server through NATS too.
    private const string Export = ", \"export\": \"onnx\"";

    [Fact]
    public async Task A_job_whose_worker_is_killed_resumes_on_another_machine_from_the_object_store_and_ends_as_an_uninterrupted_run_would()
    {
        using NatsServer nats = await NatsServer.StartAsync(Path.Combine(_temp.Path, "nats"));
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => { o.NatsUrl = nats.Url; o.AckWait = TimeSpan.FromSeconds(3); });
        using var workers = new WorkerProcesses();
        // Each worker keeps its files in a folder of its own, as on a machine of its own: only NATS is shared.
        workers.Start(nats.Url, store: Machine("a"));
        workers.Start(nats.Url, store: Machine("b"));
        string killed = await server.SubmitAcceptedAsync(Jobs.Digits("killed", epochs: 8, batchSize: 32, extra: Export));

        await server.EventsAsync(killed, until: e => e.Type == "checkpoint");
        int pid = TestServer.WorkerPid(await server.JobAsync(killed));
        Assert.Equal(2, await CountWorkersAsync(server));
        workers.Processes.Single(p => p.Id == pid).Kill(); // SIGKILL: no ack, no goodbye; JetStream redelivers after the ack wait

        JsonElement done = await server.WaitForStatusAsync(killed, "completed", "failed");
        Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        int survivor = TestServer.WorkerPid(done);
        Assert.NotEqual(pid, survivor);
        Assert.True((await server.EventsAsync(killed)).Last(e => e.Type == "started").Data.GetProperty("resumed").GetBoolean());
        // It resumed from what the killed worker uploaded: its own folder had no checkpoint of this job.
        Assert.Contains(workers.Errors, l => l.StartsWith($"{survivor}: conduit worker: job {killed} attempt 2: downloaded", StringComparison.Ordinal)
            && l.EndsWith("checkpoint file(s) from the object store", StringComparison.Ordinal));
        // It read its own copy of the data, found by the hash the server published.
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(RepoPaths.Root, "samples", "data", "digits.csv"))));
        string copy = Path.Combine(_temp.Path, $"machine-{(survivor == workers.Processes[0].Id ? "a" : "b")}", "data", hash, "digits.csv");
        Assert.Contains(JsonSerializer.Serialize(copy), File.ReadAllText(Path.Combine(Path.GetDirectoryName(copy)!, "..", "..", "jobs", killed, "job.json")), StringComparison.Ordinal);
        // The server holds the model in its own job folder (and serves it), but never a checkpoint.
        string serverFolder = Path.Combine(_temp.Path, "jobs", killed);
        string model = done.GetProperty("model").GetString()!;
        Assert.StartsWith(serverFolder + "/", model, StringComparison.Ordinal);
        Assert.True(File.Exists(model), model);
        Assert.False(Directory.Exists(Path.Combine(serverFolder, "killed", "checkpoints")));
        Assert.Contains(JsonDocument.Parse(await server.Client.GetStringAsync("/api/models")).RootElement.EnumerateArray(),
            m => m.GetProperty("path").GetString() == model);

        // A late end from the killed attempt changes nothing.
        await PublishStaleEndAsync(nats.Url, killed, attempt: 1);
        Assert.Equal("completed", (await server.JobAsync(killed)).GetProperty("status").GetString());

        // The same job, uninterrupted: the same final metrics.
        string whole = await server.SubmitAcceptedAsync(Jobs.Digits("whole", epochs: 8, batchSize: 32, extra: Export));
        JsonElement reference = await server.WaitForStatusAsync(whole, "completed", "failed");
        Assert.Equal(TestServer.Metrics(reference), TestServer.Metrics(done));
        // Each machine downloaded the data once, however many jobs and attempts it ran.
        foreach (Process worker in workers.Processes)
        {
            Assert.True(workers.Errors.Count(l => l.StartsWith($"{worker.Id}: ", StringComparison.Ordinal) && l.Contains(": downloaded data file digits.csv", StringComparison.Ordinal)) <= 1);
        }
    }

    [Fact]
    public async Task A_worker_cut_off_but_alive_writes_nothing_over_the_newer_attempt_and_the_server_ignores_it()
    {
        using NatsServer nats = await NatsServer.StartAsync(Path.Combine(_temp.Path, "nats"));
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => { o.NatsUrl = nats.Url; o.AckWait = TimeSpan.FromSeconds(3); });
        using var workers = new WorkerProcesses();
        Process stale = workers.Start(nats.Url, store: Machine("a"));
        string id = await server.SubmitAcceptedAsync(Jobs.Digits("cut-off", epochs: 8, batchSize: 32));
        await server.EventsAsync(id, until: e => e.Type == "checkpoint");

        // Frozen (a network partition, a long pause): its job process trains on, but nothing reaches NATS; after the
        // ack wait the job goes to the other worker as attempt 2. Then it wakes up with checkpoints to upload.
        Signal(stale, "STOP");
        try
        {
            Process current = workers.Start(nats.Url, store: Machine("b"));
            JsonElement second = await server.WaitForAttemptAsync(id, 2);
            Assert.Equal(current.Id, TestServer.WorkerPid(second));
        }
        finally
        {
            Signal(stale, "CONT");
        }

        JsonElement done = await server.WaitForStatusAsync(id, "completed", "failed");
        Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        await WaitUntilAsync(() => workers.Errors.Any(l => l.StartsWith($"{stale.Id}: conduit worker: job {id} attempt 1: checkpoint", StringComparison.Ordinal)
            && l.Contains("refused", StringComparison.Ordinal)));
        await using var client = new NatsConnection(new NatsOpts { Url = nats.Url });
        var objects = await NatsJobObjects.OpenAsync(new NatsJSContext(client), CancellationToken.None);
        Assert.Equal(2, await objects.AttemptOfAsync(NatsObjectKey.For(id, "cut-off/checkpoints/last.ckpt"), CancellationToken.None));
        Assert.Equal("completed", (await server.JobAsync(id)).GetProperty("status").GetString());

        string whole = await server.SubmitAcceptedAsync(Jobs.Digits("whole", epochs: 8, batchSize: 32));
        JsonElement reference = await server.WaitForStatusAsync(whole, "completed", "failed");
        Assert.Equal(TestServer.Metrics(reference), TestServer.Metrics(done));
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
        // Those are the server's record, from the events: the worker, sharing the server's folder, ran its job with the sqlite logger off.
        Assert.False(JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp.Path, "jobs", job, "worker-job.json"))).RootElement
            .GetProperty("loggers").GetProperty("sqlite").GetBoolean());

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

    private string Machine(string name) => Path.Combine(_temp.Path, $"machine-{name}", "conduit.db");

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(await condition(), "the condition never held");
    }

    // An end from an attempt that is not the newest, as a worker cut off would send it; returns once the server has read it.
    private static async Task PublishStaleEndAsync(string url, string id, int attempt)
    {
        await using var client = new NatsConnection(new NatsOpts { Url = url });
        var js = new NatsJSContext(client);
        string stale = $$$"""{"jobId":"{{{id}}}","attempt":{{{attempt}}},"worker":"elsewhere:1","type":"end","data":{"status":"failed","reason":"stale"}}""";
        await js.PublishAsync(NatsNames.Events(id), Encoding.UTF8.GetBytes(stale));
        INatsJSConsumer consumer = await js.GetConsumerAsync(NatsNames.EventsStream, NatsNames.ServerConsumer);
        await WaitUntilAsync(async () =>
        {
            await consumer.RefreshAsync();
            return consumer.Info.NumPending == 0 && consumer.Info.NumAckPending == 0;
        });
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
