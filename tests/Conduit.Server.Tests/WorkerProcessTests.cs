using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Conduit.Server.Tests.Support;

namespace Conduit.Server.Tests;

/// <summary>
/// Jobs run in worker processes: a real <c>conduit worker</c> per job, killed with SIGKILL mid-job, while the server
/// goes on and the job continues from its last checkpoint in a new worker.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WorkerProcessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_killed_worker_is_replaced_and_the_job_ends_as_an_uninterrupted_run_would()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => o.Workers = 2);
        string killed = await server.SubmitAcceptedAsync(Jobs.Digits("killed", epochs: 8, batchSize: 32));
        string whole = await server.SubmitAcceptedAsync(Jobs.Digits("whole", epochs: 8, batchSize: 32));

        // Its first checkpoint is on disk: kill -9 the process that trains it.
        await server.EventsAsync(killed, until: e => e.Type == "checkpoint");
        JsonElement running = await server.JobAsync(killed);
        int pid = TestServer.WorkerPid(running);
        Assert.Contains(JsonDocument.Parse(await server.Client.GetStringAsync("/api/workers")).RootElement.EnumerateArray(),
            w => w.GetProperty("pid").GetInt32() == pid && w.GetProperty("jobs")[0].GetString() == killed);
        Assert.NotEqual(Environment.ProcessId, pid);
        using (Process worker = Process.GetProcessById(pid))
        {
            worker.Kill(); // SIGKILL
        }

        List<SseEvent> events = await server.EventsAsync(killed);
        SseEvent retry = Assert.Single(events, e => e.Type == "retry");
        Assert.Contains("killed by signal 9 (SIGKILL", retry.Data.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(events.Last(e => e.Type == "started").Data.GetProperty("resumed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);

        JsonElement done = await server.WaitForStatusAsync(killed, "completed", "failed");
        JsonElement reference = await server.WaitForStatusAsync(whole, "completed", "failed");
        Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        Assert.Equal(1, reference.GetProperty("attempts").GetInt32());
        Assert.NotEqual(pid, TestServer.WorkerPid(done));

        // The same seed, the same data: the resumed job's final metrics are the uninterrupted one's, bit for bit.
        Assert.Equal(TestServer.Metrics(reference), TestServer.Metrics(done));
        // Each step is recorded once, in the one run the two workers shared, with the uninterrupted run's losses.
        Assert.Equal(await server.TrainLossAsync(reference), await server.TrainLossAsync(done));
    }

    [Fact]
    public async Task A_job_whose_workers_keep_dying_fails_after_its_attempts_naming_the_exit()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => o.MaxAttempts = 2);
        string id = await server.SubmitAcceptedAsync(Jobs.Digits("doomed", epochs: 500));
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            await server.EventsAsync(id, until: e => e.Type == "epoch" && attempt == 1 || e.Type == "retry");
            JsonElement job = await server.WaitForAttemptAsync(id, attempt);
            using Process worker = Process.GetProcessById(TestServer.WorkerPid(job));
            worker.Kill();
            await worker.WaitForExitAsync();
        }

        JsonElement failed = await server.WaitForStatusAsync(id, "failed", "completed");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(2, failed.GetProperty("attempts").GetInt32());
        Assert.Contains("killed by signal 9", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("gave up after 2 attempt(s)", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
