using System.Diagnostics;
using System.Text;
using Conduit.Host.Server;
using Conduit.Host.Sweeps;
using Conduit.Server.Tests.Support;

namespace Conduit.Server.Tests;

/// <summary>
/// <c>conduit sweep</c> as a user runs it, a real process: killed with SIGKILL mid-sweep and run again, it finishes the
/// same sweep with each trial once; over NATS, its trials run on <c>conduit worker --nats</c> processes.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SweepProcessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Store => Path.Combine(_temp.Path, "conduit.db");

    [Fact]
    public async Task A_controller_killed_mid_sweep_continues_on_restart_running_each_trial_once()
    {
        string file = Path.Combine(_temp.Path, "random.sweep.json");
        File.WriteAllText(file, Sweeps.Random(trials: 6, epochs: 6));
        List<TrialRecord> before;
        using (Process first = Start(file, new StringBuilder()))
        {
            before = await WaitForTrialsAsync(t => t.Count(x => x.Ended) >= 2 && t.Any(x => !x.Ended), first);
            first.Kill(); // SIGKILL: the controller gets no chance to write anything; its workers see their input close
            await first.WaitForExitAsync();
        }

        var output = new StringBuilder();
        using (Process second = Start(file, output))
        {
            Assert.True(await Exited(second, TimeSpan.FromMinutes(4)), output.ToString());
            Assert.True(second.ExitCode == 0, output.ToString());
        }
        Assert.Contains("conduit: continuing sweep random-", output.ToString(), StringComparison.Ordinal);

        using SweepStore sweeps = SweepStore.Open(Store);
        SweepRecord sweep = Assert.Single(sweeps.All());
        Assert.Equal("completed", sweep.Status);
        IReadOnlyList<TrialRecord> trials = sweeps.Trials(sweep.Id);
        Assert.Equal(6, trials.Count);
        Assert.Equal(6, trials.Select(t => t.Parameters.Key).Distinct().Count());
        Assert.All(trials, t => Assert.Equal("completed", t.Status));
        // What had ended before the kill is what the sweep keeps; nothing ran twice.
        foreach (TrialRecord ended in before.Where(t => t.Ended))
        {
            Assert.Equal((ended.Parameters.Key, ended.Value), (trials[ended.Number].Parameters.Key, trials[ended.Number].Value));
        }
        using ServerJobStore jobs = ServerJobStore.Open(Store);
        Assert.Equal(trials.Select(t => t.JobId).Order(), jobs.All().Select(j => j.Id).Order());
    }

    [Fact]
    public async Task A_sweep_over_nats_runs_its_trials_on_two_workers()
    {
        using NatsServer nats = await NatsServer.StartAsync(Path.Combine(_temp.Path, "nats"));
        using var workers = new WorkerProcesses();
        workers.Start(nats.Url);
        workers.Start(nats.Url);
        string file = Path.Combine(_temp.Path, "nats.sweep.json");
        File.WriteAllText(file, Sweeps.Random(trials: 4, epochs: 3));

        var output = new StringBuilder();
        using (Process sweep = Start(file, output, "--nats", nats.Url))
        {
            Assert.True(await Exited(sweep, TimeSpan.FromMinutes(4)), output.ToString());
            Assert.True(sweep.ExitCode == 0, output.ToString());
        }

        using SweepStore sweeps = SweepStore.Open(Store);
        IReadOnlyList<TrialRecord> trials = sweeps.Trials(Assert.Single(sweeps.All()).Id);
        Assert.Equal(4, trials.Count);
        Assert.All(trials, t => Assert.Equal("completed", t.Status));
        using ServerJobStore jobs = ServerJobStore.Open(Store);
        // Trials ran in the NATS workers' processes, not in local ones the sweep started.
        int[] pids = [.. workers.Processes.Select(p => p.Id)];
        Assert.All(jobs.All(), j => Assert.Contains(pids, pid => j.Worker!.EndsWith($":{pid}", StringComparison.Ordinal) || j.Worker.Contains($"{pid}", StringComparison.Ordinal)));
    }

    private Process Start(string file, StringBuilder output, params string[] extra)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "conduit"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in (string[])["sweep", file, "--store", Store, "--plugins", RepoPaths.Plugins, .. extra])
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<List<TrialRecord>> WaitForTrialsAsync(Func<IReadOnlyList<TrialRecord>, bool> ready, Process process)
    {
        DateTime deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            if (File.Exists(Store))
            {
                using SweepStore sweeps = SweepStore.Open(Store);
                if (sweeps.All() is [var sweep] && sweeps.Trials(sweep.Id) is var trials && ready(trials))
                {
                    return [.. trials];
                }
            }
            Assert.False(process.HasExited, "the sweep ended before it could be killed");
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not get far enough in time");
            await Task.Delay(200);
        }
    }

    private static async Task<bool> Exited(Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }
}
