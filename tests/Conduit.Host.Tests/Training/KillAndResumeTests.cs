using System.Diagnostics;
using System.Text.Json;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Training;

/// <summary>The real executable, killed with SIGKILL mid-run, then resumed from its last checkpoint.</summary>
public sealed class KillAndResumeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Process Start(string job, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "conduit.dll"), "run", job, "--plugins", RepoPaths.Plugins, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(start)!;
    }

    [Fact]
    public async Task Kill_9_during_a_run_then_resume_last_finishes_the_run()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path);
        string last = _temp.Combine("runs", "digits-test", "checkpoints", "last.ckpt");
        const int epochs = 400;

        using (Process doomed = Start(job, "--set", $"trainer.max_epochs={epochs}", "--json"))
        {
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(last) && !doomed.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(20);
            }
            await Task.Delay(100);
            Assert.False(doomed.HasExited, "the run ended before it could be killed: " + await doomed.StandardError.ReadToEndAsync());
            doomed.Kill(entireProcessTree: true); // SIGKILL: no clean-up runs
            await doomed.WaitForExitAsync();
        }
        Assert.True(File.Exists(last));

        using Process resumed = Start(job, "--set", $"trainer.max_epochs={epochs}", "--resume", "last", "--json");
        Task<string> output = resumed.StandardOutput.ReadToEndAsync();
        Task<string> error = resumed.StandardError.ReadToEndAsync();
        await resumed.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(resumed.ExitCode == 0, await error);
        using var json = JsonDocument.Parse(await output);
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(epochs, json.RootElement.GetProperty("epochs").GetInt32());
        Assert.True(json.RootElement.GetProperty("metrics").GetProperty("test_acc").GetDouble() > 0.9);
    }

    // Nothing lost on a crash: killed with SIGKILL at random moments (seeded) and resumed each time, a run's csv and
    // sqlite records equal an uninterrupted run's, step for step, with no gap and no duplicate.
    [Fact]
    public async Task Kill_9_at_random_moments_then_resume_leaves_every_logger_record_equal_to_an_uninterrupted_run()
    {
        string[] settings = ["--set", "trainer.max_epochs=30", "--set", "trainer.log_every_n_steps=1", "--set", "loggers.0=csv", "--set", "loggers.1=sqlite", "--json"];
        string straight = TrainingHarness.WriteDigitsJob(Directory.CreateDirectory(_temp.Combine("straight")).FullName);
        await FinishAsync(Start(straight, settings));

        string interrupted = TrainingHarness.WriteDigitsJob(Directory.CreateDirectory(_temp.Combine("killed")).FullName);
        string last = _temp.Combine("killed", "runs", "digits-test", "checkpoints", "last.ckpt");
        var random = new Random(20261202);
        int kills = 0;
        Process run = Start(interrupted, settings);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            DateTime before = File.Exists(last) ? File.GetLastWriteTimeUtc(last) : DateTime.MinValue;
            var deadline = Stopwatch.StartNew();
            while ((!File.Exists(last) || File.GetLastWriteTimeUtc(last) == before) && !run.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(10);
            }
            await Task.Delay(random.Next(0, 400));
            if (run.HasExited)
            {
                break;
            }
            run.Kill(entireProcessTree: true); // SIGKILL: no clean-up runs
            await run.WaitForExitAsync();
            run.Dispose();
            kills++;
            run = Start(interrupted, [.. settings, "--resume", "last"]);
        }
        await FinishAsync(run);

        Assert.True(kills > 0, "the run ended before it could be killed");
        Assert.Equal(Records("straight"), Records("killed"));
        Assert.Equal(Stored("straight"), Stored("killed"));
    }

    private static async Task FinishAsync(Process process)
    {
        using (process)
        {
            Task<string> error = process.StandardError.ReadToEndAsync();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            Assert.True(process.ExitCode == 0, await error);
            Assert.Equal("completed", JsonDocument.Parse(await output).RootElement.GetProperty("status").GetString());
        }
    }

    private SortedDictionary<(long, string), double> Records(string folder) =>
        new(Tracking.ExperimentLoggerTests.ReadMetricsCsv(Path.Combine(Assert.Single(Directory.GetDirectories(_temp.Combine(folder, "runs", "digits-test"), "version_*")), "metrics.csv")));

    private SortedDictionary<(long, string), double> Stored(string folder)
    {
        using var store = Conduit.Tracking.Store.RunStore.OpenExisting(_temp.Combine(folder, "runs", "conduit.db"));
        return new(Tracking.ExperimentLoggerTests.ReadStore(store, Assert.Single(store.Runs()).Id));
    }
}
