using System.Diagnostics;
using System.Text.Json;

namespace Conduit.Benchmarks.Reliability;

/// <summary><c>conduit run</c> of the campaign's job in one folder: started, killed, resumed, finished.</summary>
internal static class LocalRun
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static ConduitProcess Start(DigitsJob.Folder folder, bool resume) =>
        ConduitProcess.Start(["run", folder.Job, "--json", .. resume ? (string[])["--resume", "last"] : []]);

    /// <summary>Waits for the run's end; its run id and final metrics from <c>--json</c>.</summary>
    public static async Task<FinalMetrics> FinishAsync(ConduitProcess run)
    {
        using (run)
        {
            int exit = await run.WaitAsync(Limit);
            if (exit != 0)
            {
                throw new InvalidOperationException($"conduit run exited {exit}: {run.Error.Trim().Split('\n')[^1]}");
            }
            using var json = JsonDocument.Parse(run.Output);
            return FinalMetrics.From(json.RootElement);
        }
    }

    /// <summary>Polls <paramref name="condition"/> as tightly as the machine allows until it holds or the run ends.</summary>
    public static bool SpinUntil(ConduitProcess run, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (run.HasExited || clock.Elapsed > Limit)
            {
                return false;
            }
            Thread.Yield();
        }
        return true;
    }

    /// <summary>Waits about <paramref name="microseconds"/> without sleeping (a sleep's granularity is a millisecond or more).</summary>
    public static void SpinFor(int microseconds)
    {
        long until = Stopwatch.GetTimestamp() + microseconds * Stopwatch.Frequency / 1_000_000;
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }
    }
}

/// <summary>A run's id and final metrics, compared bit for bit.</summary>
internal sealed record FinalMetrics(string RunId, IReadOnlyDictionary<string, double> Metrics)
{
    public static FinalMetrics From(JsonElement job) =>
        new(job.GetProperty("runId").GetString()!, job.GetProperty("metrics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()));

    public bool BitEqual(FinalMetrics other) =>
        Metrics.Count == other.Metrics.Count
        && Metrics.All(m => other.Metrics.TryGetValue(m.Key, out double v) && BitConverter.DoubleToInt64Bits(v) == BitConverter.DoubleToInt64Bits(m.Value));
}
