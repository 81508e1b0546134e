using System.Security.Cryptography;
using System.Text;
using Conduit.Host.Scale;
using Conduit.Server.Tests.Support;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Conduit.Server.Tests;

/// <summary>
/// Jobs' files in the object store of a real nats-server: an attempt older than the job's newest writes nothing, a
/// resume brings the newest checkpoints into a folder that lacks them, and data travels once by its hash.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NatsObjectStoreTests : IDisposable
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

    [Fact]
    public async Task A_data_file_travels_once_by_its_hash_and_a_worker_keeps_one_verified_copy()
    {
        using NatsServer nats = await NatsServer.StartAsync(Path.Combine(_temp.Path, "nats"));
        await using var client = new NatsConnection(new NatsOpts { Url = nats.Url });
        NatsJobObjects objects = await NatsJobObjects.OpenAsync(new NatsJSContext(client), CancellationToken.None);
        string csv = Path.Combine(_temp.Path, "server-data", "train.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        File.WriteAllText(csv, "a,label\n1,0\n");
        string cache = Path.Combine(_temp.Path, "worker", "data");

        var files = await new NatsDataFiles(objects).UploadAsync($$$"""{"data": {"source": "csv", "path": {{{System.Text.Json.JsonSerializer.Serialize(csv)}}}}}""", CancellationToken.None);
        NatsDataFile file = Assert.Single(files).Value;
        Assert.Equal(new NatsDataFile(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(csv))), "train.csv"), file);

        var worker = new NatsDataFiles(objects);
        (string copy, bool downloaded) = await worker.LocalCopyAsync(file, cache, CancellationToken.None);
        Assert.True(downloaded);
        Assert.Equal(Path.Combine(cache, file.Hash, "train.csv"), copy);
        Assert.Equal(File.ReadAllBytes(csv), File.ReadAllBytes(copy));
        Assert.False((await worker.LocalCopyAsync(file, cache, CancellationToken.None)).Downloaded);
        Assert.False((await new NatsDataFiles(objects).LocalCopyAsync(file, cache, CancellationToken.None)).Downloaded); // the next job on this machine

        // Bytes that do not have the hash they travel under are refused, and nothing is cached; so is a name that is a path.
        string forged = new('0', 64);
        await objects.PutAsync(NatsDataFiles.Key(forged), csv, 0, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidDataException>(() => worker.LocalCopyAsync(file with { Hash = forged }, cache, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.Combine(cache, forged)));
        await Assert.ThrowsAsync<InvalidDataException>(() => worker.LocalCopyAsync(file with { Name = "../train.csv" }, cache, CancellationToken.None));
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
