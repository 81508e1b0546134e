using System.Diagnostics;
using System.Globalization;

namespace Conduit.Benchmarks.Reliability;

/// <summary>One <c>conduit run</c> killed with SIGKILL at a point of <paramref name="point"/>'s kind, then <c>--resume last</c> to its end.</summary>
internal sealed class LocalKill(KillPoint point, LoggerRecords reference, FinalMetrics final)
{
    public async Task<KillResult> RunAsync(string path, Random random)
    {
        var folder = DigitsJob.Folder.Create(path);
        ConduitProcess doomed = LocalRun.Start(folder, resume: false);
        (string where, string delay) = point switch
        {
            KillPoint.MidTraining => await MidTrainingAsync(doomed, folder, random),
            KillPoint.CheckpointWrite => DuringCheckpoint(doomed, folder, random),
            _ => DuringExport(doomed, folder, random),
        };
        bool killed = !doomed.HasExited;
        doomed.Kill9();
        doomed.Dispose();
        if (!killed)
        {
            return new KillResult(point, where, delay, 0, 0, false, null, "the run ended before the kill point");
        }
        try
        {
            FinalMetrics resumed = await LocalRun.FinishAsync(LocalRun.Start(folder, resume: true));
            RecordDiff diff = LoggerRecords.Read(folder.Version, folder.Store, resumed.RunId).Against(reference);
            return new KillResult(point, where, delay, 1, 1, resumed.BitEqual(final), diff);
        }
        catch (InvalidOperationException e)
        {
            return new KillResult(point, where, delay, 1, 1, false, null, e.Message);
        }
    }

    // After the first checkpoint (so there is one to resume from), a random moment of the training that follows.
    private static async Task<(string, string)> MidTrainingAsync(ConduitProcess run, DigitsJob.Folder folder, Random random)
    {
        LocalRun.SpinUntil(run, () => File.Exists(Path.Combine(folder.Checkpoints, "last.ckpt")));
        int ms = random.Next(0, 500);
        await Task.Delay(ms);
        return ($"after the first checkpoint, at step {LastCsvStep(folder)}", $"{ms} ms");
    }

    // The k-th checkpoint's temporary file appears (written, then the loggers' barrier, then the rename): kill inside it.
    private static (string, string) DuringCheckpoint(ConduitProcess run, DigitsJob.Folder folder, Random random)
    {
        int k = random.Next(2, DigitsJob.Epochs + 1);
        int microseconds = random.Next(0, 3000);
        string? seen = null;
        for (int i = 0; i < k; i++)
        {
            bool Writing() => Directory.Exists(folder.Checkpoints) && (seen = Directory.EnumerateFiles(folder.Checkpoints, "*.tmp").FirstOrDefault()) is not null;
            if (!LocalRun.SpinUntil(run, Writing) || i == k - 1 || !LocalRun.SpinUntil(run, () => !Writing()))
            {
                break;
            }
        }
        LocalRun.SpinFor(microseconds);
        bool stillThere = seen is not null && File.Exists(seen);
        return ($"checkpoint write #{k}: {Path.GetFileName(seen)}{(stillThere ? "" : " (renamed)")}", $"{microseconds} µs");
    }

    // The exported model's temporary file appears (the export, then its check against the checkpoint, then the rename).
    private static (string, string) DuringExport(ConduitProcess run, DigitsJob.Folder folder, Random random)
    {
        LocalRun.SpinUntil(run, () => File.Exists(folder.PendingExport));
        int ms = random.Next(0, 60);
        LocalRun.SpinFor(ms * 1000);
        return ($"ONNX export{(File.Exists(folder.PendingExport) ? " (model.onnx.pending)" : " (renamed)")}", $"{ms} ms");
    }

    private static string LastCsvStep(DigitsJob.Folder folder)
    {
        try
        {
            string? last = File.ReadLines(Path.Combine(folder.Version, "metrics.csv")).LastOrDefault(l => l.Length > 0 && char.IsDigit(l[0]));
            return last?.Split(',')[0] ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
