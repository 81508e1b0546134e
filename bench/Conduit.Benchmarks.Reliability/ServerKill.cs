using System.Text.Json;

namespace Conduit.Benchmarks.Reliability;

/// <summary>
/// <c>conduit serve --workers 2</c> running two jobs, the server process killed with SIGKILL, then started again
/// over the same store: interrupted jobs are resumed (POST /api/jobs/{id}/resume), queued ones run, and both must
/// end as the uninterrupted run did, every logger's record included.
/// </summary>
internal sealed class ServerKill(LoggerRecords reference, FinalMetrics final)
{
    public async Task<KillResult> RunAsync(string folder, Random random)
    {
        int port = ConduitProcess.FreePort();
        string[] ids;
        int ms = random.Next(0, 1500);
        string where;
        using (ServerProcess server = await ServerProcess.StartAsync(folder, port, workers: 2))
        {
            ids = [await server.SubmitAsync(DigitsJob.Document("digits", null)), await server.SubmitAsync(DigitsJob.Document("digits", null))];
            foreach (string id in ids)
            {
                while ((await server.JobAsync(id)).GetProperty("status").GetString() == "queued")
                {
                    await Task.Delay(20);
                }
            }
            await Task.Delay(ms);
            var statuses = new List<string>();
            foreach (string id in ids)
            {
                statuses.Add((await server.JobAsync(id)).GetProperty("status").GetString()!);
            }
            where = $"serve --workers 2, jobs {string.Join(" + ", statuses)}";
            server.Process.Kill9();
        }

        using ServerProcess restarted = await ServerProcess.StartAsync(folder, port, workers: 2);
        int resumes = 0;
        RecordDiff total = new(0, 0, 0, []);
        bool equal = true;
        string? error = null;
        foreach (string id in ids)
        {
            JsonElement job = await restarted.JobAsync(id);
            if (job.GetProperty("status").GetString() == "interrupted")
            {
                (await restarted.Client.PostAsync($"/api/jobs/{id}/resume", null)).EnsureSuccessStatusCode();
                resumes++;
            }
            JsonElement done = await restarted.WaitForEndAsync(id);
            if (done.GetProperty("status").GetString() != "completed")
            {
                error ??= $"job {id} ended {done.GetProperty("status").GetString()}: {done.GetProperty("reason")}";
                continue;
            }
            var metrics = FinalMetrics.From(done);
            equal &= metrics.BitEqual(final);
            string version = Directory.GetDirectories(Path.Combine(folder, "jobs", id), "version_*", SearchOption.AllDirectories).Single();
            RecordDiff diff = LoggerRecords.Read(version, restarted.Store, metrics.RunId).Against(reference);
            total = new RecordDiff(total.Lost + diff.Lost, total.Duplicated + diff.Duplicated, total.Differing + diff.Differing, [.. total.Problems, .. diff.Problems]);
        }
        return new KillResult(KillPoint.Server, where, $"{ms} ms", 1, resumes + 1, equal, total, error);
    }
}
