using System.Text.Json;
using Conduit.Host.Jobs;
using Conduit.Host.Training;
using Conduit.Host.Workers;
using NATS.Client.JetStream;

namespace Conduit.Host.Scale;

/// <summary>What every attempt on one NATS worker shares: the connection's parts, where jobs' files go, and how jobs start.</summary>
internal sealed record NatsWorkerParts(INatsJSContext Js, NatsJobObjects Objects, NatsAttemptFence Fence, NatsDataFiles Data, NatsWorkFolder Folder,
    WorkerLaunch Launch, string WorkerId);

/// <summary>
/// One delivery of a job on a NATS worker: it claims its attempt, brings the job's checkpoints from the object store
/// when it resumes, runs the job in a <see cref="WorkerProcess"/> while keeping the message in progress, uploads each
/// checkpoint before its event goes out and the model before the end, then acks. An attempt that finds a newer one has
/// started (this worker was cut off and its delivery handed on) stops, writes nothing and acks nothing.
/// </summary>
internal sealed class NatsAttempt(NatsWorkerParts parts, INatsJSMsg<byte[]> message, NatsJob job)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly int _delivered = (int)(message.Metadata?.NumDelivered ?? 1);
    private WorkerProcess? _process;

    private int Attempt => job.PriorAttempts + _delivered;

    /// <summary>Runs the attempt; <paramref name="running"/> learns its process (then null when it has ended).</summary>
    public async Task RunAsync(TimeSpan ackWait, int maxDeliver, Action<WorkerProcess?> running, CancellationToken stop)
    {
        if (!await parts.Fence.ClaimAsync(job.Id, Attempt, CancellationToken.None).ConfigureAwait(false))
        {
            Say("a newer attempt has started; this delivery is left to it");
            return;
        }
        // In progress from here: downloading data and checkpoints may take longer than the ack wait.
        using var progress = new Timer(_ => _ = message.AckProgressAsync().AsTask(), null, TimeSpan.Zero, ackWait / 3);
        string jobFile;
        try
        {
            jobFile = await parts.Folder.JobFileAsync(job, await LocalDataAsync().ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            await parts.Js.PublishAsync(NatsNames.Events(job.Id), JsonSerializer.SerializeToUtf8Bytes(
                new { JobId = job.Id, Attempt, Worker = parts.WorkerId, Type = "end", Data = new WorkerEnd("failed", e.Message, null, null) }, Json)).ConfigureAwait(false);
            await message.AckTerminateAsync().ConfigureAwait(false);
            return;
        }
        NatsCheckpointMirror mirror = Mirror(jobFile);
        bool resume = job.Resume || _delivered > 1;
        if (resume)
        {
            await RestoreAsync(mirror).ConfigureAwait(false);
        }
        using var events = new NatsEventPublisher(parts.Js, job.Id, Attempt, parts.WorkerId, (type, data) => AdmitAsync(mirror, type, data));
        using WorkerProcess process = WorkerProcess.Start(parts.Launch, jobFile, resume, events.Publish);
        _process = process;
        running(process);
        using CancellationTokenRegistration leaving = stop.Register(() => process.Send("interrupt"));
        WorkerExit exit = await process.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        running(null);
        await progress.DisposeAsync().ConfigureAwait(false);
        await events.FlushAsync().ConfigureAwait(false);
        WorkerEnd? end = exit.End is { Model: { } model } ended ? ended with { Model = await UploadModelAsync(mirror, model).ConfigureAwait(false) } : exit.End;
        if (mirror.Fenced)
        {
            Say("a newer attempt has started; this one stopped and wrote nothing more");
        }
        else if (end is { Status: "interrupted" })
        {
            await message.NakAsync().ConfigureAwait(false); // this worker is leaving: another continues from the checkpoint
        }
        else if (end is not null)
        {
            await events.PublishNowAsync("end", JsonSerializer.Serialize(end, Json)).ConfigureAwait(false);
            await (end.Status == "failed" ? message.AckTerminateAsync() : message.AckAsync()).ConfigureAwait(false);
        }
        else if (_delivered >= maxDeliver)
        {
            var failed = new WorkerEnd("failed", $"{exit.Describe()}; gave up after {_delivered} attempt(s) (--max-attempts {maxDeliver})", null, null);
            await events.PublishNowAsync("end", JsonSerializer.Serialize(failed, Json)).ConfigureAwait(false);
            await message.AckTerminateAsync().ConfigureAwait(false);
        }
        else
        {
            await events.PublishNowAsync("retry", JsonSerializer.Serialize(new { Attempt = Attempt + 1, MaxAttempts = maxDeliver, Reason = exit.Describe() }, Json)).ConfigureAwait(false);
            await message.NakAsync().ConfigureAwait(false);
        }
    }

    // With a folder of its own, the worker runs the job against its verified copies of the data, by the data keys naming them.
    private async Task<Dictionary<string, string>> LocalDataAsync()
    {
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parts.Folder.DataCache is not { } cache || job.Data is null)
        {
            return local;
        }
        foreach (var (key, file) in job.Data)
        {
            (string path, bool downloaded) = await parts.Data.LocalCopyAsync(file, cache, CancellationToken.None).ConfigureAwait(false);
            if (downloaded)
            {
                Say($"downloaded data file {file.Name} (sha256 {file.Hash})");
            }
            local[key] = path;
        }
        return local;
    }

    private NatsCheckpointMirror Mirror(string jobFile)
    {
        string jobFolder = Path.GetDirectoryName(jobFile)!;
        string checkpoints;
        try
        {
            checkpoints = JobRunner.CheckpointFolder(JobLoader.Load(jobFile));
        }
        catch (JobValidationException)
        {
            checkpoints = Path.Combine(jobFolder, "checkpoints"); // the job fails in its process, saying why; nothing to mirror
        }
        return new NatsCheckpointMirror(parts.Objects, parts.Fence, job.Id, Attempt, jobFolder, checkpoints);
    }

    // A failed download leaves the attempt to resume from what is on disk (or start over): slower, never wrong.
    private async Task RestoreAsync(NatsCheckpointMirror mirror)
    {
        try
        {
            int downloaded = await mirror.RestoreAsync(CancellationToken.None).ConfigureAwait(false);
            if (downloaded > 0)
            {
                Say($"downloaded {downloaded} checkpoint file(s) from the object store");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Say($"could not download its checkpoints: {e.Message}");
        }
    }

    // Checkpoints go up before their events; once fenced, nothing more goes out and the job is stopped.
    private async Task<bool> AdmitAsync(NatsCheckpointMirror mirror, string type, string data)
    {
        if (type == "checkpoint" && !mirror.Fenced)
        {
            string? file = JsonDocument.Parse(data).RootElement.TryGetProperty("file", out JsonElement f) ? f.GetString() : null;
            try
            {
                if (file is not null && !await mirror.UploadCheckpointAsync(file, CancellationToken.None).ConfigureAwait(false))
                {
                    Say($"checkpoint {file} not uploaded: refused, a newer attempt has started; stopping this one");
                    _process?.Send("interrupt");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Say($"could not upload checkpoint {file}: {e.Message}");
            }
        }
        return !mirror.Fenced;
    }

    private async Task<string?> UploadModelAsync(NatsCheckpointMirror mirror, string model)
    {
        try
        {
            return await mirror.UploadModelAsync(model, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Say($"could not upload the model {model}: {e.Message}");
            return null;
        }
    }

    private void Say(string what) => Console.Error.WriteLine($"conduit worker: job {job.Id} attempt {Attempt}: {what}");
}
