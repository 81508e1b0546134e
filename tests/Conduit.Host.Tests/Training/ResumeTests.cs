using Conduit.Host.Jobs;
using Conduit.Host.Tests.Support;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Tests.Training;

/// <summary>Stop-and-resume equals uninterrupted: same logged losses, same final weights (deterministic CPU).</summary>
[Collection(TorchCollection.Name)]
public sealed class ResumeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_run_stopped_mid_epoch_and_resumed_matches_a_run_never_stopped()
    {
        string uninterruptedJob = TrainingHarness.WriteDigitsJob(Directory.CreateDirectory(_temp.Combine("a")).FullName);
        string interruptedJob = TrainingHarness.WriteDigitsJob(Directory.CreateDirectory(_temp.Combine("b")).FullName);

        var whole = await TrainingHarness.RunAsync(uninterruptedJob, []);
        // 40 batches per epoch: step 50 is inside the second epoch.
        var first = await TrainingHarness.RunAsync(interruptedJob, ["trainer.max_steps=50"]);
        var second = await TrainingHarness.RunAsync(interruptedJob, [], resume: "last");

        Assert.Equal(RunStatus.Completed, whole.Outcome.Status);
        Assert.Equal(50, first.Outcome.Position.GlobalStep);
        Assert.Equal(1, first.Outcome.Position.Epoch);
        Assert.Equal(whole.Losses, [.. first.Losses, .. second.Losses]);
        Assert.Equal(whole.Outcome.Position, second.Outcome.Position);
        Assert.Equal(whole.Predictions, second.Predictions);
        Assert.Equal(whole.Epochs[^1].Metrics, second.Epochs[^1].Metrics);
        Assert.Equal(whole.Outcome.Metrics["test_acc"], second.Outcome.Metrics["test_acc"]);
    }

    [Fact]
    public async Task Resume_last_skips_a_corrupt_last_checkpoint_and_uses_the_newest_intact_one()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path);
        await TrainingHarness.RunAsync(job, ["trainer.max_epochs=2"]);
        string checkpoints = _temp.Combine("runs", "digits-test", "checkpoints");
        string last = Path.Combine(checkpoints, "last.ckpt");
        File.WriteAllBytes(last, File.ReadAllBytes(last)[..1000]);

        var resumed = await TrainingHarness.RunAsync(job, ["trainer.max_epochs=3"], resume: "last");

        Assert.Equal(RunStatus.Completed, resumed.Outcome.Status);
        Assert.Equal(3, resumed.Outcome.Position.Epoch);
    }

    // A cancel used to drain the bus with the canceled token, so the run ended in OperationCanceledException instead
    // of an outcome: the command printed only "canceled" and lost the checkpoint's path and the loggers' last rows.
    [Fact]
    public async Task A_canceled_run_reports_its_outcome_and_checkpoint_and_its_loggers_keep_every_row()
    {
        string jobPath = TrainingHarness.WriteDigitsJob(_temp.Path);
        JobDefinition job = JobLoader.Load(jobPath, ["trainer.max_epochs=50", "trainer.log_every_n_steps=1", "loggers.0=csv"]);
        await using ConduitHost host = TrainingHarness.StartHost(job);
        using var cancel = new CancellationTokenSource();
        long lastStep = 0;
        using var steps = host.Services.GetRequiredService<ISubscriber<BatchEnded>>().Subscribe(b => lastStep = b.GlobalStep);
        using var epochs = host.Services.GetRequiredService<ISubscriber<EpochEnded>>().Subscribe(e => cancel.Cancel());
        var runner = new JobRunner(host);
        using PreparedRun prepared = runner.Prepare(job);

        RunOutcome outcome = await runner.RunAsync(prepared, "fit", cancel.Token);

        Assert.Equal(RunStatus.Canceled, outcome.Status);
        Assert.NotNull(outcome.LastCheckpoint);
        Assert.True(File.Exists(outcome.LastCheckpoint));
        string metrics = Directory.GetFiles(_temp.Combine("runs", "digits-test"), "metrics.csv", SearchOption.AllDirectories).Single();
        string[] rows = File.ReadAllLines(metrics);
        Assert.Contains(rows, r => r.Split(',').Contains(lastStep.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    // A checkpoint is durable only after every logger has persisted the metrics it covers: read from disk the moment
    // each checkpoint is committed, metrics.csv already holds its step (the logger alone flushes once a second).
    [Fact]
    public async Task Every_checkpoint_is_committed_after_the_loggers_have_persisted_its_steps()
    {
        string jobPath = TrainingHarness.WriteDigitsJob(_temp.Path);
        JobDefinition job = JobLoader.Load(jobPath, ["trainer.max_epochs=4", "trainer.log_every_n_steps=1", "loggers.0=csv"]);
        await using ConduitHost host = TrainingHarness.StartHost(job);
        var missing = new List<long>();
        int checked_ = 0;
        using var saved = host.Services.GetRequiredService<ISubscriber<CheckpointSaved>>().Subscribe(c =>
        {
            string metrics = Directory.GetFiles(_temp.Combine("runs", "digits-test"), "metrics.csv", SearchOption.AllDirectories).Single();
            using var reader = new StreamReader(new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            string step = c.GlobalStep.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!reader.ReadToEnd().Split('\n').Any(row => row.Split(',')[0] == step))
            {
                missing.Add(c.GlobalStep);
            }
            checked_++;
        });
        var runner = new JobRunner(host);
        using PreparedRun prepared = runner.Prepare(job);

        RunOutcome outcome = await runner.RunAsync(prepared);

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.True(checked_ >= 4, $"{checked_} checkpoints");
        Assert.Empty(missing);
    }
}
