using Conduit.Host.Tests.Support;
using Conduit.Messages;

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
}
