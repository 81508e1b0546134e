using Conduit.Host.Checkpoints;
using Conduit.Host.Tests.Support;
using Conduit.Host.Training;

namespace Conduit.Host.Tests.Checkpoints;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static CheckpointMetadata Metadata(long step) => new()
    {
        Framework = "torchsharp",
        RunId = "run-1",
        JobName = "digits",
        Epoch = 2,
        BatchInEpoch = 7,
        GlobalStep = step,
        Accumulator = new EpochAccumulator.State(1.5, 64, 60, 0, 0, 2),
        Metrics = new Dictionary<string, double> { ["val_acc"] = 0.97 },
        Callbacks = new Dictionary<string, string> { ["early_stopping"] = "{\"Best\":0.1,\"Wait\":1}" },
        Job = new Dictionary<string, string> { ["trainer.max_epochs"] = "3" },
        FeatureShape = [64],
        ClassNames = ["0", "1"],
        Target = "classification",
    };

    private string Save(string name, long step, byte[] state)
    {
        string path = _temp.Combine(name);
        CheckpointFile.Write(path, Metadata(step), s => s.Write(state));
        return path;
    }

    [Fact]
    public void Round_trips_metadata_and_state()
    {
        string path = Save("a.ckpt", 42, [1, 2, 3, 4]);

        var (metadata, state) = CheckpointFile.Read(path);

        Assert.Equal([1, 2, 3, 4], state);
        Assert.Equal(42, metadata.GlobalStep);
        Assert.Equal(7, metadata.BatchInEpoch);
        Assert.Equal(new EpochAccumulator.State(1.5, 64, 60, 0, 0, 2), metadata.Accumulator);
        Assert.Equal(0.97, metadata.Metrics["val_acc"]);
        Assert.Equal("{\"Best\":0.1,\"Wait\":1}", metadata.Callbacks["early_stopping"]);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Truncated_altered_and_foreign_files_are_refused_with_the_reason()
    {
        string path = Save("b.ckpt", 1, new byte[1000]);
        byte[] bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..^100]);
        Assert.Contains("truncated", Assert.Throws<CheckpointCorruptException>(() => CheckpointFile.Read(path)).Message, StringComparison.Ordinal);

        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var altered = Assert.Throws<CheckpointCorruptException>(() => CheckpointFile.Read(path));
        Assert.Equal($"checkpoint '{path}' cannot be used: SHA-256 mismatch: the content was altered or damaged", altered.Message);

        File.WriteAllText(path, "hello, not a checkpoint");
        Assert.Contains("not a Conduit checkpoint", Assert.Throws<CheckpointCorruptException>(() => CheckpointFile.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_last_falls_back_to_the_newest_intact_checkpoint()
    {
        string older = Save("epoch=0-step=10.ckpt", 10, [1]);
        File.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddMinutes(-2));
        string newer = Save("epoch=1-step=20.ckpt", 20, [2]);
        File.SetLastWriteTimeUtc(newer, DateTime.UtcNow.AddMinutes(-1));
        string last = Save("last.ckpt", 30, [3]);

        Assert.Equal(30, CheckpointStore.Resolve("last", _temp.Path).Metadata.GlobalStep);

        File.WriteAllBytes(last, File.ReadAllBytes(last)[..50]);
        var found = CheckpointStore.Resolve("last", _temp.Path);
        Assert.Equal(20, found.Metadata.GlobalStep);
        Assert.Contains(found.Refused, r => r.Contains("last.ckpt", StringComparison.Ordinal) && r.Contains("truncated", StringComparison.Ordinal));
    }

    [Fact]
    public void Resume_with_nothing_intact_says_so()
    {
        File.WriteAllText(_temp.Combine("last.ckpt"), "garbage");

        var error = Assert.Throws<CheckpointCorruptException>(() => CheckpointStore.Resolve("last", _temp.Path));
        Assert.Contains("--resume last: no checkpoint in it is intact", error.Message, StringComparison.Ordinal);
    }
}
