using Conduit.Host.Jobs;
using Conduit.Host.Tests.Support;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Tests.Training;

/// <summary>
/// Lightning's Trainer flags end to end: a real job through JobRunner, TorchSharp and the callbacks (digits: 40
/// training batches of 32 an epoch). The flags' arithmetic is tested without TorchSharp in LoopPlanTests and TrainerLoopTests.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TrainerFlagTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record Observed(RunOutcome Outcome, List<BatchEnded> Batches, List<MetricsLogged> Metrics, List<EpochEnded> Epochs);

    private async Task<Observed> Run(params string[] overrides)
    {
        string jobPath = TrainingHarness.WriteDigitsJob(_temp.Path);
        JobDefinition job = JobLoader.Load(jobPath, overrides);
        var options = new ConduitHostOptions { Configuration = job.Configuration };
        options.Plugins.Roots.Add(RepoPaths.Plugins);
        options.Plugins.Disabled.Add("console");
        await using ConduitHost host = ConduitHost.Start(options);
        var observed = new Observed(null!, [], [], []);
        using var a = host.Services.GetRequiredService<ISubscriber<BatchEnded>>().Subscribe(observed.Batches.Add);
        using var c = host.Services.GetRequiredService<ISubscriber<MetricsLogged>>().Subscribe(observed.Metrics.Add);
        using var d = host.Services.GetRequiredService<ISubscriber<EpochEnded>>().Subscribe(observed.Epochs.Add);
        var runner = new JobRunner(host);
        using PreparedRun prepared = runner.Prepare(job);
        return observed with { Outcome = await runner.RunAsync(prepared) };
    }

    [Fact]
    public async Task Fast_dev_run_job_trains_two_batches_and_leaves_no_checkpoint_folder()
    {
        var run = await Run("trainer.fast_dev_run=2");

        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
        Assert.Equal(2, run.Batches.Count);
        Assert.Null(run.Outcome.LastCheckpoint);
        Assert.False(Directory.Exists(_temp.Combine("runs")));
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
