using System.Text;
using Conduit.Host.Scale;
using Conduit.Server.Tests.Support;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Conduit.Server.Tests;

/// <summary>
/// The object store's fencing against a real nats-server: an attempt older than the job's newest writes nothing, and
/// a resume brings the newest checkpoints into a folder that lacks them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NatsFenceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_stale_attempts_upload_is_refused_and_a_resume_elsewhere_gets_the_newest_checkpoint()
    {
        using NatsServer nats = await NatsServer.StartAsync(Path.Combine(_temp.Path, "nats"));
        await using var client = new NatsConnection(new NatsOpts { Url = nats.Url });
        var js = new NatsJSContext(client);
        NatsJobObjects objects = await NatsJobObjects.OpenAsync(js, CancellationToken.None);
        NatsAttemptFence fence = await NatsAttemptFence.OpenAsync(js, CancellationToken.None);
        NatsCheckpointMirror first = Mirror(objects, fence, "a", attempt: 1);
        NatsCheckpointMirror second = Mirror(objects, fence, "b", attempt: 2);

        Assert.True(await fence.ClaimAsync("job-1", 1, CancellationToken.None));
        Assert.True(await first.UploadCheckpointAsync(Write("a", "last.ckpt", "one"), CancellationToken.None));
        Assert.True(await fence.ClaimAsync("job-1", 2, CancellationToken.None));
        Assert.False(await fence.ClaimAsync("job-1", 1, CancellationToken.None)); // an old delivery never starts again

        // Attempt 2, on a machine without the job's files, resumes from what attempt 1 uploaded, then writes its own.
        Assert.Equal(1, await second.RestoreAsync(CancellationToken.None));
        Assert.Equal("one", File.ReadAllText(Path.Combine(Checkpoints("b"), "last.ckpt")));
        Assert.True(await second.UploadCheckpointAsync(Write("b", "last.ckpt", "two"), CancellationToken.None));

        // Attempt 1 is alive still: its next checkpoint is refused, and it knows to stop.
        Assert.False(await first.UploadCheckpointAsync(Write("a", "last.ckpt", "stale"), CancellationToken.None));
        Assert.True(first.Fenced);
        Assert.Null(await first.UploadModelAsync(Path.Combine(Checkpoints("a"), Write("a", "model.onnx", "stale model")), CancellationToken.None));
        string key = NatsObjectKey.For("job-1", "run/checkpoints/last.ckpt");
        Assert.Equal(2, await objects.AttemptOfAsync(key, CancellationToken.None));
        Assert.Null(await objects.ListAsync(NatsObjectKey.For("job-1", "run/checkpoints/model"), CancellationToken.None).FirstOrDefaultAsync());

        // A third attempt elsewhere gets attempt 2's checkpoint; a file its folder had that the store lacks is dropped.
        Write("c", "epoch=0-step=1.ckpt", "older");
        Assert.True(await fence.ClaimAsync("job-1", 3, CancellationToken.None));
        Assert.Equal(1, await Mirror(objects, fence, "c", attempt: 3).RestoreAsync(CancellationToken.None));
        Assert.Equal("last.ckpt", Path.GetFileName(Assert.Single(Directory.GetFiles(Checkpoints("c")))));
        Assert.Equal("two", File.ReadAllText(Path.Combine(Checkpoints("c"), "last.ckpt")));
    }

    [Theory]
    [InlineData("run/checkpoints/epoch=3-step=120-val_acc=0.9500.ckpt")]
    [InlineData("my run/model.onnx")]
    [InlineData("数字/model.onnx.json")]
    public void An_object_name_stands_for_one_path_and_back(string path)
    {
        string name = NatsObjectKey.For("20260101-000000-abc123", path);
        Assert.Matches(@"\A[-/_=\.a-zA-Z0-9]+\z", name);
        Assert.Equal(path, NatsObjectKey.RelativePath("20260101-000000-abc123", name));
    }

    private NatsCheckpointMirror Mirror(NatsJobObjects objects, NatsAttemptFence fence, string machine, int attempt) =>
        new(objects, fence, "job-1", attempt, Path.Combine(_temp.Path, machine), Checkpoints(machine));

    private string Checkpoints(string machine) => Path.Combine(_temp.Path, machine, "run", "checkpoints");

    // Writes a file into <machine>'s checkpoint folder; returns its name.
    private string Write(string machine, string name, string content)
    {
        Directory.CreateDirectory(Checkpoints(machine));
        File.WriteAllText(Path.Combine(Checkpoints(machine), name), content, Encoding.UTF8);
        return name;
    }
}
