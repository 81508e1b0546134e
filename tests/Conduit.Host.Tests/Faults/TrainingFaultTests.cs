using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Faults;

/// <summary>
/// A plugin that throws in a hook of a real run (fixture.faults, through <c>conduit run</c>): the run ends with one line
/// naming the hook and the error, the checkpoints written before stand, the other loggers' records are complete, and
/// <c>--resume last</c> with the fault switched off ends where an uninterrupted run does.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingFaultTests(StraightRun straight) : IDisposable, IClassFixture<StraightRun>
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private FaultJob Job(string name) => new(Directory.CreateDirectory(_temp.Combine(name)).FullName);

    [Theory]
    [InlineData("epoch_started", 1, "OnEpochStarted")]
    [InlineData("batch_ended", 12, "OnBatchEnded")]
    [InlineData("epoch_ended", 1, "OnEpochEnded")]
    [InlineData("checkpoint_saved", 16, "OnCheckpointSaved")]
    public async Task A_callback_that_throws_fails_the_run_in_one_line_and_resume_last_finishes_it(string hook, int at, string method)
    {
        FaultJob job = Job("fault");
        var failed = await job.RunAsync("--set", $"plugins.faults.hook={hook}", "--set", $"plugins.faults.at={at}");

        string line = FaultJob.ErrorLine(failed);
        Assert.Contains($"training failed: callback 'faults' failed in {method}: injected fault in {hook} at {at}", line, StringComparison.Ordinal);
        await AssertResumesLikeAnUninterruptedRunAsync(job, straight);
    }

    [Fact]
    public async Task A_data_source_that_throws_mid_epoch_fails_the_run_in_one_line_and_resume_last_finishes_it()
    {
        FaultJob job = Job("fault");
        // Pass 3 is epoch 1: it fails after 2 of its 8 batches.
        var failed = await job.RunAsync("--set", "data.fail_pass=3", "--set", "data.fail_after_rows=64");

        string line = FaultJob.ErrorLine(failed);
        Assert.Contains("training failed: IOException: faults: read error after 64 rows in pass 3", line, StringComparison.Ordinal);
        Assert.Contains("(last checkpoint: ", line, StringComparison.Ordinal);
        await AssertResumesLikeAnUninterruptedRunAsync(job, straight);
    }

    [Fact]
    public async Task A_training_step_that_throws_in_native_code_fails_the_run_in_one_line_and_resume_last_finishes_it()
    {
        FaultJob job = Job("fault");
        // A class index outside the schema's in epoch 1: libtorch refuses it in the loss, with its own stack appended.
        var failed = await job.RunAsync("--set", "data.fail_pass=3", "--set", "data.fail_after_rows=100", "--set", "data.fail_with=label");

        string line = FaultJob.ErrorLine(failed);
        Assert.Contains("training failed: ExternalException: Target 7 is out of bounds.", line, StringComparison.Ordinal);
        await AssertResumesLikeAnUninterruptedRunAsync(job, straight);
    }

    [Theory]
    [InlineData("run_started", 1, "RunStartedAsync")]
    [InlineData("metrics", 3, "LogMetricsAsync")]
    [InlineData("checkpoint", 1, "LogCheckpointAsync")]
    [InlineData("flush", 2, "FlushAsync")]
    [InlineData("run_ended", 1, "RunEndedAsync")]
    public async Task A_logger_that_throws_is_reported_by_name_and_hook_and_the_run_and_other_loggers_go_on(string hook, int at, string method)
    {
        // Loggers only listen (docs/plugins.md): one that fails is reported once and isolated, never ends the training.
        FaultJob job = Job("fault");
        var run = await job.RunProcessAsync("--set", "loggers.2=faults", "--set", $"loggers.faults.hook={hook}", "--set", $"loggers.faults.at={at}");

        Assert.Equal("completed", FaultJob.Status(run));
        string warning = Assert.Single(run.Error.Split('\n'), l => l.Contains("Experiment logger faults failed in", StringComparison.Ordinal));
        Assert.Contains($"failed in {method}: injected fault in {hook} (call {at})", warning, StringComparison.Ordinal);
        Assert.All(job.ReadCheckpoints().Values, c => Assert.Equal("faults", c.JobName));
        Assert.Equal(straight.Csv, job.Csv());
        Assert.Equal(straight.Stored, job.Stored());
    }

    // The checkpoints written before the fault load (their SHA-256 holds); resuming the last one, fault off, completes
    // the run, and its records (store and csv) equal those of a run that never failed.
    internal static async Task AssertResumesLikeAnUninterruptedRunAsync(FaultJob job, StraightRun straight)
    {
        var before = job.ReadCheckpoints();
        Assert.NotEmpty(before);
        var resumed = await job.RunAsync("--resume", "last");
        Assert.Equal("completed", FaultJob.Status(resumed));

        Assert.Equal(straight.Stored, job.Stored());
        Assert.Equal(straight.Csv, job.Csv());
    }
}
