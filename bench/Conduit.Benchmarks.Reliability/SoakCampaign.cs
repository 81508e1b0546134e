using System.Diagnostics;
using System.Globalization;

namespace Conduit.Benchmarks.Reliability;

/// <summary>
/// A server through many short jobs: <paramref name="jobs"/> jobs submitted over HTTP (a few in flight at a time),
/// each followed to its end and its event stream read whole; the server's memory and open handles after job 50 and
/// after the last, which should stay within 10% of each other.
/// </summary>
internal sealed class SoakCampaign(string work, int jobs)
{
    private const int Epochs = 2;
    private const int InFlight = 4;
    private const int EarlySample = 50;

    public async Task<int> RunAsync()
    {
        using ServerProcess server = await ServerProcess.StartAsync(Path.Combine(work, "soak"), ConduitProcess.FreePort(), workers: 2);
        var clock = Stopwatch.StartNew();
        var pending = new Queue<Task<string?>>();
        var problems = new List<string>();
        (long RssKib, int Handles)? early = null;
        int done = 0;
        for (int i = 0; i < jobs || pending.Count > 0;)
        {
            while (i < jobs && pending.Count < InFlight)
            {
                pending.Enqueue(FollowAsync(server, await server.SubmitAsync(Job(i))));
                i++;
            }
            if (await pending.Dequeue() is { } problem)
            {
                problems.Add(problem);
            }
            if (++done == EarlySample)
            {
                early = Sample(server, done);
            }
        }
        double minutes = clock.Elapsed.TotalMinutes;
        (long rss, int handles) = Sample(server, done);

        Console.WriteLine(FormattableString.Invariant($"Soak: {jobs} jobs ({Epochs} epochs each) on conduit serve --workers 2, {InFlight} in flight"));
        Console.WriteLine(FormattableString.Invariant($"  completed with a complete event stream (queued, started, {Epochs} epochs, end): {jobs - problems.Count}/{jobs}"));
        foreach (string problem in problems.Take(5))
        {
            Console.WriteLine("  problem: " + problem);
        }
        Console.WriteLine(FormattableString.Invariant($"  {jobs * 1.0 / minutes:F1} jobs/minute ({clock.Elapsed.TotalSeconds:F0} s)"));
        bool steady = true;
        if (early is { } first)
        {
            double rssRatio = (double)rss / first.RssKib, handleRatio = (double)handles / first.Handles;
            steady = rssRatio <= 1.10 && handleRatio <= 1.10;
            Console.WriteLine(FormattableString.Invariant($"  RSS: {first.RssKib / 1024.0:F1} MiB after job {EarlySample}, {rss / 1024.0:F1} MiB after job {jobs}: x{rssRatio:F3}"));
            Console.WriteLine(FormattableString.Invariant($"  open handles (/proc/PID/fd): {first.Handles} after job {EarlySample}, {handles} after job {jobs}: x{handleRatio:F3}"));
            Console.WriteLine(steady ? "  within 10%: yes" : "  within 10%: NO");
        }
        return problems.Count == 0 && steady ? 0 : 1;
    }

    private static (long, int) Sample(ServerProcess server, int done)
    {
        // Let the server settle (its worker's exit handled, the stream closed) and collect, so a sample is what it keeps.
        Thread.Sleep(1000);
        return server.Sample();
    }

    // Tiny: a small MLP, two epochs of the digits, csv logger only, no export: about a second of training.
    private static string Job(int i) => DigitsJob.Document($"soak-{i}", null, Epochs, hidden: [32], loggers: ["csv"], export: "none");

    private static async Task<string?> FollowAsync(ServerProcess server, string id)
    {
        var end = await server.WaitForEndAsync(id);
        string status = end.GetProperty("status").GetString()!;
        if (status != "completed")
        {
            return $"job {id} ended {status}: {end.GetProperty("reason")}";
        }
        List<string> events = await server.EventTypesAsync(id);
        int epochs = events.Count(e => e == "epoch");
        bool complete = events.Count > 0 && events[0] == "queued" && events.Contains("started") && epochs == Epochs && events[^1] == "end";
        return complete ? null : string.Create(CultureInfo.InvariantCulture, $"job {id}: events {string.Join(",", events.Distinct())} ({epochs} epoch events)");
    }
}
