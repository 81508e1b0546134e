using System.Diagnostics;
using System.Text.Json;
using Conduit.Server.Tests.Support;
using Conduit.Tracking.Store;

namespace Conduit.Server.Tests;

/// <summary>
/// The server records the runs of jobs that run on NATS workers in its own store, from their events (it is the store's
/// only writer): every metric at every step, once, as the worker's own store and an uninterrupted run record it, even
/// when the worker is killed mid-job and another resumes it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NatsRunRecordTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_run_on_a_worker_with_its_own_store_is_recorded_by_the_server_step_by_step_once_even_across_a_kill_and_a_resume()
    {
        using NatsServer nats = await NatsServer.StartAsync(Path.Combine(_temp.Path, "nats"));
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => { o.NatsUrl = nats.Url; o.AckWait = TimeSpan.FromSeconds(3); });
        using var workers = new WorkerProcesses();
        workers.Start(nats.Url, store: Machine("a"));
        workers.Start(nats.Url, store: Machine("b"));
        string killed = await server.SubmitAcceptedAsync(Jobs.Digits("recorded", epochs: 8, batchSize: 32));
        await server.EventsAsync(killed, until: e => e.Type == "checkpoint");
        int pid = TestServer.WorkerPid(await server.JobAsync(killed));
        workers.Processes.Single(p => p.Id == pid).Kill(); // SIGKILL: steps after its last checkpoint were recorded, and are recorded again

        JsonElement resumed = await server.WaitForStatusAsync(killed, "completed", "failed");
        Assert.True(resumed.GetProperty("status").GetString() == "completed", resumed.ToString());
        Assert.Equal(2, resumed.GetProperty("attempts").GetInt32());
        Assert.True((await server.EventsAsync(killed)).Last(e => e.Type == "started").Data.GetProperty("resumed").GetBoolean());
        string whole = await server.SubmitAcceptedAsync(Jobs.Digits("recorded", epochs: 8, batchSize: 32));
        JsonElement reference = await server.WaitForStatusAsync(whole, "completed", "failed");
        Assert.True(reference.GetProperty("status").GetString() == "completed", reference.ToString());

        // The uninterrupted run: the server's record is the worker's own, step for step.
        int survivor = TestServer.WorkerPid(reference);
        string wholeRun = RunId(reference);
        Dictionary<string, List<(long, int, double)>> served = await ServedMetricsAsync(server, wholeRun);
        using (RunStore workerStore = RunStore.OpenExisting(Machine(survivor == workers.Processes[0].Id ? "a" : "b")))
        {
            Assert.Equal(workerStore.MetricNames(wholeRun), served.Keys.Order(StringComparer.Ordinal));
            foreach (string name in served.Keys)
            {
                Assert.Equal(workerStore.Metric(wholeRun, name), served[name]);
            }
        }
        Assert.Contains("val_acc", served.Keys);
        Assert.Equal(8, served["val_acc"].Count);

        // The killed and resumed run: the same steps, each once, with the same values as the uninterrupted run.
        Dictionary<string, List<(long, int, double)>> recorded = await ServedMetricsAsync(server, RunId(resumed));
        Assert.Equal(served.Keys, recorded.Keys);
        foreach (string name in served.Keys)
        {
            Assert.Equal(served[name], recorded[name]);
        }

        // The runs, their hyperparameters and how they ended are the server's too.
        using RunStore serverStore = RunStore.OpenExisting(server.Options.StorePath);
        foreach (string run in (string[])[RunId(resumed), wholeRun])
        {
            Assert.Equal("completed", serverStore.Find(run).Status);
            Assert.Equal("8", serverStore.Params(run).Single(p => p.Key.EndsWith("max_epochs", StringComparison.Ordinal)).Value);
        }
        // None is left running (a machine too slow to extend its ack wait may hand attempt 1 on before its first checkpoint:
        // attempt 2 then starts a run of its own, and the one it replaced ends as failed).
        Assert.DoesNotContain(serverStore.Runs(), r => r.Status == "running");
    }

    private string Machine(string name) => Path.Combine(_temp.Path, $"machine-{name}", "conduit.db");

    private static string RunId(JsonElement job) => job.GetProperty("runId").GetString()!;

    // GET /api/runs/{id}/metrics, as (step, epoch, value) by metric name.
    private static async Task<Dictionary<string, List<(long, int, double)>>> ServedMetricsAsync(TestServer server, string runId)
    {
        JsonElement metrics = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/{runId}/metrics")).RootElement.GetProperty("metrics");
        return metrics.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.EnumerateArray()
            .Select(p => (p.GetProperty("step").GetInt64(), p.GetProperty("epoch").GetInt32(), p.GetProperty("value").GetDouble())).ToList(), StringComparer.Ordinal);
    }
}
