using System.Globalization;

namespace Conduit.Benchmarks.Reliability;

/// <summary>
/// SIGKILL at random points (seeded), then resume, <paramref name="count"/> times: mid-training, during a checkpoint
/// write, during the export, and a server with two running jobs. Each resumed run must end with the uninterrupted
/// run's final metrics, bit for bit, and every logger's record equal to its record: each step once, none missing.
/// </summary>
internal sealed class KillCampaign(string work, int count, int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<KillResult> _results = [];

    public async Task<int> RunAsync()
    {
        Console.WriteLine(FormattableString.Invariant($"Reference: one uninterrupted run ({DigitsJob.Epochs} epochs, seed 42, loggers csv + tensorboard + sqlite, ONNX export)"));
        var reference = DigitsJob.Folder.Create(Path.Combine(work, "reference"));
        FinalMetrics final = await LocalRun.FinishAsync(LocalRun.Start(reference, resume: false));
        LoggerRecords records = LoggerRecords.Read(reference.Version, reference.Store, final.RunId);
        foreach (string problem in records.SelfCheck())
        {
            Console.WriteLine("  reference defect: " + problem);
        }
        Console.WriteLine($"  {string.Join(", ", records.ByLogger.Select(l => $"{l.Key} {l.Value.Count} values"))}; test_acc {final.Metrics["test_acc"].ToString("R", CultureInfo.InvariantCulture)}");

        var server = new ServerKill(records, final);
        for (int i = 0; i < count; i++)
        {
            KillPoint point = (KillPoint)(i % 4);
            string folder = Path.Combine(work, $"kill-{i + 1:00}");
            KillResult result = point == KillPoint.Server
                ? await server.RunAsync(folder, _random)
                : await new LocalKill(point, records, final).RunAsync(folder, _random);
            _results.Add(result);
            Console.WriteLine(FormattableString.Invariant($"kill {i + 1,2}: {result}"));
        }

        int failed = _results.Count(r => !r.Passed);
        Console.WriteLine(FormattableString.Invariant(
            $"Summary: {_results.Sum(r => r.Kills)} kills (SIGKILL), {_results.Sum(r => r.Resumes)} resumes, final metrics bit-equal in {_results.Count(r => r.MetricsEqual)}/{_results.Count}; records lost {_results.Sum(r => r.Lost)}, duplicated {_results.Sum(r => r.Duplicated)}, differing {_results.Sum(r => r.Differing)} (expected 0, 0, 0); {failed} failed"));
        Console.WriteLine("  tensorboard: read as TensorBoard reads it (name order, restart purges steps >= its step, truncated last record ignored)");
        return failed == 0 ? 0 : 1;
    }
}

/// <summary>Where a kill lands.</summary>
internal enum KillPoint
{
    MidTraining,
    CheckpointWrite,
    Export,
    Server,
}

/// <summary>One kill's outcome, printed as one line.</summary>
internal sealed record KillResult(KillPoint Point, string Where, string Delay, int Kills, int Resumes, bool MetricsEqual, RecordDiff? Records, string? Error = null)
{
    public bool Passed => Error is null && MetricsEqual && Records is { Clean: true };

    public int Lost => Records?.Lost ?? 0;

    public int Duplicated => Records?.Duplicated ?? 0;

    public int Differing => Records?.Differing ?? 0;

    public override string ToString() =>
        $"{Point,-15} {Where,-44} delay {Delay,-9} -> {(Error is not null ? "FAILED: " + Error : $"{(MetricsEqual ? "metrics bit-equal" : "METRICS DIFFER")}, {Records}")}";
}
