using System.Diagnostics;

namespace Conduit.Benchmarks.Workers;

/// <summary>
/// What a fresh worker process costs a job: <c>conduit worker --job</c> from spawn to its <c>started</c> event (the
/// host starting, plugins and libtorch loading, the data read, the model built), against the whole job, median of three.
/// </summary>
internal static class StartupCost
{
    public static async Task<(double Startup, double Whole)> MeasureAsync(string folder, int epochs)
    {
        Directory.CreateDirectory(folder);
        string job = Path.Combine(folder, "job.json");
        await File.WriteAllTextAsync(job, Cluster.Job("startup", epochs).Replace("\"samples/", $"\"{Benchmarks.RepositoryRoot.Path}/samples/", StringComparison.Ordinal)
            .Replace("\"num_threads\": 1", $"\"num_threads\": 1, \"default_root_dir\": \"{folder}\"", StringComparison.Ordinal));
        var startups = new List<double>();
        var wholes = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            Process worker = Host.Conduit("worker", "--job", job);
            double? started = null;
            while (await worker.StandardOutput.ReadLineAsync() is { } line)
            {
                if (started is null && line.Contains("\"type\":\"started\"", StringComparison.Ordinal))
                {
                    started = clock.Elapsed.TotalSeconds;
                }
                if (line.Contains("\"type\":\"end\"", StringComparison.Ordinal))
                {
                    break;
                }
            }
            wholes.Add(clock.Elapsed.TotalSeconds);
            startups.Add(started ?? double.NaN);
            Host.Stop(worker);
        }
        return (startups.Order().ElementAt(1), wholes.Order().ElementAt(1));
    }
}
