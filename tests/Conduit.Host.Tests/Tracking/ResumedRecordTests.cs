using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;
using Conduit.Tracking.Store;

namespace Conduit.Host.Tests.Tracking;

/// <summary>
/// A run resumed from its last checkpoint leaves every logger's record as an uninterrupted run's: found by the kill
/// campaign (bench/Conduit.Benchmarks.Reliability), which kills runs during their test and export.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ResumedRecordTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // A kill after the final checkpoint (in the test or the export) resumes from a finished fit: the test runs again and
    // logs at the checkpoint's step. The csv logger wrote its metrics twice; TensorBoard's restart at that step hid
    // what the checkpoint's own step had recorded (its last training step, validation and epoch metrics).
    [Fact]
    public async Task Resuming_a_finished_run_as_after_a_kill_in_its_test_or_export_leaves_each_record_as_it_was()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path, ", \"log_every_n_steps\": 1");
        string[] run = ["run", job, "--plugins", RepoPaths.Plugins, "--json", "--set", "trainer.max_epochs=2",
            "--set", "loggers.0=csv", "--set", "loggers.1=tensorboard", "--set", "loggers.2=sqlite"];
        var first = await CliRunner.RunAsync(run);
        Assert.True(first.ExitCode == 0, first.Error);
        string version = Assert.Single(Directory.GetDirectories(Path.Combine(_temp.Path, "runs", "digits-test"), "version_*"));
        var (csv, scalars, stored) = Records(version);
        Assert.Contains(csv, r => r.Name == "test_acc");

        var resumed = await CliRunner.RunAsync([.. run, "--resume", "last"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);

        var (csvAfter, scalarsAfter, storedAfter) = Records(version);
        Assert.Equal(csv, csvAfter);
        Assert.Equal(scalars, scalarsAfter);
        Assert.Equal(stored, storedAfter);
        Assert.Equal(csv.Select(r => (r.Step, r.Name)).Order(), scalarsAfter.Select(r => (r.Step, r.Name)));
    }

    // Each as a sorted list, so that a value recorded twice shows.
    private (List<(long Step, string Name, double Value)>, List<(long Step, string Name)>, List<(long Step, string Name, double Value)>) Records(string version)
    {
        string[] lines = File.ReadAllLines(Path.Combine(version, "metrics.csv"));
        string[] header = lines[0].Split(',');
        List<(long, string, double)> csv = [.. lines.Skip(1).Select(l => l.Split(','))
            .SelectMany(f => Enumerable.Range(2, f.Length - 2).Where(c => f[c].Length > 0)
                .Select(c => (long.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), header[c], double.Parse(f[c], System.Globalization.CultureInfo.InvariantCulture))))
            .Order()];
        using RunStore store = RunStore.OpenExisting(Path.Combine(_temp.Path, "runs", "conduit.db"));
        string runId = Assert.Single(store.Runs()).Id;
        List<(long, string, double)> stored = [.. store.MetricNames(runId).SelectMany(n => store.Metric(runId, n).Select(p => (p.Step, n, p.Value))).Order()];
        return (csv, TensorBoardScalars(version), stored);
    }

    // As TensorBoard shows them: files in name order, a restart at step s dropping earlier events at s and after.
    private static List<(long Step, string Name)> TensorBoardScalars(string version)
    {
        var scalars = new List<(long Step, string Name)>();
        foreach (EventFileReader.Event e in Directory.GetFiles(version, "events.out.tfevents.*").Order(StringComparer.Ordinal).SelectMany(EventFileReader.Read))
        {
            if (e.Restart)
            {
                scalars.RemoveAll(s => s.Step >= e.Step);
            }
            scalars.AddRange(e.Values.Where(v => v.Scalar is not null).Select(v => (e.Step, v.Tag)));
        }
        return [.. scalars.Order()];
    }
}
