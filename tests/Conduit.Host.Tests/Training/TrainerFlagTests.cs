using Conduit.Host.Jobs;
using Conduit.Host.Tests.Support;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Tests.Training;

/// <summary>Lightning's Trainer flags, observed on the bus of a real run (digits: 40 training batches of 32 an epoch).</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainerFlagTests : IDisposable
{
    private const long BatchesPerEpoch = 40;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record Observed(RunOutcome Outcome, List<BatchEnded> Batches, List<ValidationEnded> Validations, List<MetricsLogged> Metrics, List<EpochEnded> Epochs);

    private async Task<Observed> Run(params string[] overrides)
    {
        string jobPath = TrainingHarness.WriteDigitsJob(_temp.Path);
        JobDefinition job = JobLoader.Load(jobPath, overrides);
        var options = new ConduitHostOptions { Configuration = job.Configuration };
        options.Plugins.Roots.Add(RepoPaths.Plugins);
        options.Plugins.Disabled.Add("console");
        await using ConduitHost host = ConduitHost.Start(options);
        var observed = new Observed(null!, [], [], [], []);
        using var a = host.Services.GetRequiredService<ISubscriber<BatchEnded>>().Subscribe(observed.Batches.Add);
        using var b = host.Services.GetRequiredService<ISubscriber<ValidationEnded>>().Subscribe(observed.Validations.Add);
        using var c = host.Services.GetRequiredService<ISubscriber<MetricsLogged>>().Subscribe(observed.Metrics.Add);
        using var d = host.Services.GetRequiredService<ISubscriber<EpochEnded>>().Subscribe(observed.Epochs.Add);
        var runner = new JobRunner(host);
        using PreparedRun prepared = runner.Prepare(job);
        return observed with { Outcome = await runner.RunAsync(prepared) };
    }

    [Fact]
    public async Task Fast_dev_run_trains_and_validates_n_batches_once_and_writes_no_checkpoint()
    {
        var run = await Run("trainer.fast_dev_run=2");

        Assert.Equal(2, run.Batches.Count);
        Assert.Single(run.Epochs);
        Assert.Single(run.Validations);
        Assert.Null(run.Outcome.LastCheckpoint);
        Assert.False(Directory.Exists(_temp.Combine("runs")));
    }

    [Fact]
    public async Task Limit_train_batches_and_max_steps_bound_the_loop()
    {
        var limited = await Run("trainer.limit_train_batches=5", "trainer.max_epochs=2");
        Assert.Equal(10, limited.Batches.Count);
        Assert.Equal(10, limited.Outcome.Position.GlobalStep);

        var fraction = await Run("trainer.limit_train_batches=0.5", "trainer.max_epochs=1");
        Assert.Equal(BatchesPerEpoch / 2, fraction.Batches.Count);

        var steps = await Run("trainer.max_steps=7");
        Assert.Equal(RunStatus.Completed, steps.Outcome.Status);
        Assert.Equal(7, steps.Outcome.Position.GlobalStep);
        Assert.Equal(new TrainerPosition(0, 7, 7), steps.Outcome.Position);
    }

    [Fact]
    public async Task Accumulate_grad_batches_steps_the_optimizer_every_n_batches()
    {
        var run = await Run("trainer.accumulate_grad_batches=4", "trainer.limit_train_batches=10", "trainer.max_epochs=1");

        Assert.Equal(10, run.Batches.Count);
        // Steps after batches 4 and 8, and after the epoch's last (10th) batch.
        Assert.Equal([0L, 0, 0, 1, 1, 1, 1, 2, 2, 3], run.Batches.Select(b => b.GlobalStep));
    }

    [Fact]
    public async Task Validation_cadence_follows_check_val_every_n_epoch_and_val_check_interval()
    {
        var everySecond = await Run("trainer.check_val_every_n_epoch=2", "trainer.max_epochs=4");
        Assert.Equal([1, 3], everySecond.Validations.Select(v => v.Epoch));

        var within = await Run("trainer.val_check_interval=10", "trainer.max_epochs=1");
        // After batches 10, 20 and 30, then at the epoch's end (batch 40).
        Assert.Equal([10L, 20, 30, 40], within.Validations.Select(v => v.GlobalStep));

        var limited = await Run("trainer.limit_val_batches=0", "trainer.max_epochs=1");
        Assert.Empty(limited.Validations);
    }

    [Fact]
    public async Task Overfit_batches_repeats_the_same_first_batches_unshuffled()
    {
        var run = await Run("trainer.overfit_batches=3", "trainer.max_epochs=2");

        Assert.Equal(6, run.Batches.Count);
        Assert.All(run.Batches, b => Assert.InRange(b.BatchIndex, 0, 2));
        Assert.Equal(2, run.Validations.Count);
    }

    [Fact]
    public async Task Min_epochs_outranks_early_stopping()
    {
        var run = await Run(
            "callbacks.early_stopping.monitor=train_loss_epoch", "callbacks.early_stopping.mode=max", "callbacks.early_stopping.patience=1",
            "trainer.min_epochs=3", "trainer.max_epochs=10", "trainer.limit_train_batches=3");

        Assert.Equal(RunStatus.Stopped, run.Outcome.Status);
        Assert.Equal(3, run.Outcome.Position.Epoch);
        Assert.Contains("early_stopping", run.Outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Learning_rate_monitor_logs_the_rate_each_epoch()
    {
        var run = await Run("callbacks.lr_monitor.logging_interval=epoch", "optimizer.scheduler.type=step", "optimizer.scheduler.step_size=1",
            "optimizer.scheduler.gamma=0.5", "trainer.max_epochs=3", "trainer.limit_train_batches=2");

        double[] rates = [.. run.Metrics.Where(m => m.Metrics.ContainsKey("lr-Adam")).Select(m => m.Metrics["lr-Adam"])];
        Assert.Equal([0.003, 0.0015, 0.00075], rates, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public async Task Model_checkpoint_keeps_the_top_k_by_its_monitor()
    {
        var run = await Run("callbacks.model_checkpoint.monitor=val_loss", "callbacks.model_checkpoint.save_top_k=2", "trainer.max_epochs=4");

        string[] kept = [.. Directory.EnumerateFiles(_temp.Combine("runs", "digits-test", "checkpoints"), "epoch=*.ckpt").Select(Path.GetFileName)!];
        Assert.Equal(2, kept.Length);
        Assert.All(kept, k => Assert.Contains("-val_loss=", k, StringComparison.Ordinal));
        Assert.True(File.Exists(_temp.Combine("runs", "digits-test", "checkpoints", "last.ckpt")));
        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
    }
}
