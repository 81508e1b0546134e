using System.Net;
using System.Text.Json;
using Conduit.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Conduit.Server.Tests;

/// <summary>
/// The experiment store failing under a running server with a job in a worker: its file removed, or locked by another
/// connection for longer than the server waits. Real SQLite on a real server; the faults are made, not mocked.
/// </summary>
public sealed class StoreFaultTests
{
    [Fact]
    public async Task A_removed_store_is_reported_as_unavailable_naming_the_file_and_the_server_goes_on()
    {
        using var folder = new TempFolder();
        await using TestServer server = await TestServer.StartAsync(folder.Path);
        string store = server.Options.StorePath;
        string id = await server.SubmitAcceptedAsync(Jobs.Digits("removed", epochs: 2));
        await server.EventsAsync(id, until: e => e.Type == "started");

        foreach (string file in new[] { store, store + "-wal", store + "-shm" })
        {
            File.Delete(file);
        }

        foreach (string path in new[] { "/api/jobs", $"/api/jobs/{id}", "/api/runs", "/api/sweeps" })
        {
            using HttpResponseMessage response = await server.Client.GetAsync(path);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)response.StatusCode} {body}");
            Assert.Contains($"experiment store {store} was removed", Detail(body), StringComparison.Ordinal);
            Assert.DoesNotContain('\n', Detail(body));
        }
        using (HttpResponseMessage submit = await server.SubmitAsync(Jobs.Digits("after")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, submit.StatusCode);
        }
        // The refused job left no folder behind: only the running job's.
        Assert.Equal([id], Directory.GetDirectories(Path.Combine(Path.GetDirectoryName(store)!, "jobs")).Select(Path.GetFileName));
        using (HttpResponseMessage health = await server.Client.GetAsync("/health"))
        {
            JsonElement body = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("unhealthy", body.GetProperty("status").GetString());
            Assert.Contains(store, body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        // The job's stream still ends (its last state could not be stored), and the server still answers.
        List<SseEvent> events = await server.EventsAsync(id);
        Assert.Equal("end", events[^1].Type);
        using HttpResponseMessage workers = await server.Client.GetAsync("/api/workers");
        Assert.Equal(HttpStatusCode.OK, workers.StatusCode);
    }

    [Fact]
    public async Task A_store_locked_longer_than_the_server_waits_answers_503_and_loses_no_record()
    {
        using var folder = new TempFolder();
        await using TestServer server = await TestServer.StartAsync(folder.Path, o => o.StoreBusyTimeout = TimeSpan.FromSeconds(1));
        string store = server.Options.StorePath;
        // The worker's sqlite logger waits a second for a lock too (30 by default), so that the lock outlasts its waits.
        string id = await server.SubmitAcceptedAsync(Jobs.Digits("locked", epochs: 2, extra: """, "loggers": { "sqlite": { "busy_timeout": 1 } }"""));

        await using (var holder = new SqliteConnection($"Data Source={store};Pooling=false"))
        {
            holder.Open();
            Sql(holder, "BEGIN EXCLUSIVE");
            // A checkpoint waits for the loggers to write what it covers: past it, the worker's writes have given up
            // waiting for the lock once (and are kept to retry), as has the server's write of the job's run id.
            await server.EventsAsync(id, until: e => e.Type == "checkpoint");

            using HttpResponseMessage submit = await server.SubmitAsync(Jobs.Digits("while-locked"));
            string body = await submit.Content.ReadAsStringAsync();
            Assert.True(submit.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)submit.StatusCode} {body}");
            Assert.NotNull(submit.Headers.RetryAfter);
            Assert.Contains($"experiment store {store} is locked", Detail(body), StringComparison.Ordinal);
            Assert.DoesNotContain('\n', Detail(body));
            // Reads go on: the store is in WAL mode.
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/api/jobs/{id}")).StatusCode);
            Sql(holder, "ROLLBACK");
        }

        List<SseEvent> events = await server.EventsAsync(id);
        JsonElement job = await server.WaitForStatusAsync(id, "completed", "failed");
        Assert.Equal("completed", job.GetProperty("status").GetString());
        string runId = job.GetProperty("runId").GetString()!;
        Assert.Equal(runId, events.First(e => e.Type == "started").Data.GetProperty("runId").GetString());

        // Every metric the worker reported, at its step, is in the store, and nothing else.
        string[] reported = [.. events.Where(e => e.Type == "metrics")
            .SelectMany(e => e.Data.GetProperty("metrics").EnumerateObject().Select(m => $"{m.Name}@{e.Data.GetProperty("step").GetInt64()}"))
            .Distinct().Order(StringComparer.Ordinal)];
        Assert.NotEmpty(reported);
        JsonElement stored = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/runs/{runId}/metrics")).RootElement.GetProperty("metrics");
        Assert.Equal(reported, stored.EnumerateObject()
            .SelectMany(m => m.Value.EnumerateArray().Select(p => $"{m.Name}@{p.GetProperty("step").GetInt64()}")).Order(StringComparer.Ordinal));

        await using var check = new SqliteConnection($"Data Source={store};Pooling=false");
        check.Open();
        Assert.Equal("ok", Sql(check, "PRAGMA integrity_check"));
    }

    private static object? Sql(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static string Detail(string problem) =>
        JsonDocument.Parse(problem).RootElement.TryGetProperty("detail", out JsonElement detail) ? detail.GetString() ?? "" : problem;
}
