using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Faults;

/// <summary>
/// A disk that fills while a checkpoint is written, for real: the checkpoint's temporary file is a link to
/// <c>/dev/full</c>, where every write fails with ENOSPC (root included, unlike a read-only mode).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class CheckpointWriteFaultTests(StraightRun straight) : IDisposable, IClassFixture<StraightRun>
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_full_disk_while_a_checkpoint_is_written_fails_the_run_naming_the_file_and_resume_last_continues_from_the_one_before()
    {
        var job = new FaultJob(_temp.Path);
        Directory.CreateDirectory(job.Checkpoints);
        string doomed = Path.Combine(job.Checkpoints, "epoch=1-step=16.ckpt");
        File.CreateSymbolicLink(doomed + ".tmp", "/dev/full");

        var failed = await job.RunAsync();

        string line = FaultJob.ErrorLine(failed);
        Assert.Contains("callback 'model_checkpoint' failed in OnEpochEnded: No space left on device", line, StringComparison.Ordinal);
        Assert.Contains(doomed + ".tmp", line, StringComparison.Ordinal);
        Assert.False(File.Exists(doomed));
        Assert.False(Path.Exists(doomed + ".tmp"), "the partial file is removed");
        var before = job.ReadCheckpoints();
        Assert.Equal(["epoch=0-step=8.ckpt", "last.ckpt"], before.Keys.Order());
        Assert.Equal(8, before["last.ckpt"].GlobalStep);

        await TrainingFaultTests.AssertResumesLikeAnUninterruptedRunAsync(job, straight);
    }
}
