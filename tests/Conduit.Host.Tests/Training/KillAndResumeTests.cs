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
}
