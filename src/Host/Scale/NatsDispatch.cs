using System.Text;
using System.Text.Json;
using Conduit.Host.Server;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Conduit.Host.Scale;

/// <summary>
/// The server's side of scale-out: puts jobs on the work queue (the job id as the message id, so a duplicate
/// submission runs once), asks workers to cancel, reads every job's events from the durable events stream (a
/// restarted server continues where it stopped), and lists the workers that are alive.
/// </summary>
internal sealed class NatsDispatch : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly NatsConnection _nats;
    private readonly NatsJSContext _js;
    private NatsJobObjects? _objects;
    private NatsAttemptFence? _fence;
    private NatsDataFiles? _data;

    private NatsDispatch(NatsConnection nats)
    {
        _nats = nats;
        _js = new NatsJSContext(nats);
    }

    /// <summary>Connects to <paramref name="url"/> and sets up the streams, the consumers and their limits.</summary>
    public static async Task<NatsDispatch> ConnectAsync(string url, TimeSpan ackWait, int maxAttempts, CancellationToken cancellationToken)
    {
        var nats = new NatsConnection(new NatsOpts { Url = url, Name = $"conduit-serve-{Environment.ProcessId}" });
        try
        {
            await nats.ConnectAsync().ConfigureAwait(false);
            var dispatch = new NatsDispatch(nats);
            await NatsNames.SetUpAsync(dispatch._js, ackWait, maxAttempts, cancellationToken).ConfigureAwait(false);
            dispatch._objects = await NatsJobObjects.OpenAsync(dispatch._js, cancellationToken).ConfigureAwait(false);
            dispatch._fence = await NatsAttemptFence.OpenAsync(dispatch._js, cancellationToken).ConfigureAwait(false);
            dispatch._data = new NatsDataFiles(dispatch._objects);
            return dispatch;
        }
        catch
        {
            await nats.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Queues <paramref name="job"/>; false when the stream already had <paramref name="messageId"/> (a duplicate).</summary>
    public async Task<bool> PublishAsync(NatsJob job, string messageId, CancellationToken cancellationToken)
    {
        var ack = await _js.PublishAsync(NatsNames.Job(job.Id), JsonSerializer.SerializeToUtf8Bytes(job, Json),
            opts: new NatsJSPubOpts { MsgId = messageId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (ack.Duplicate)
        {
            return false; // the stream has it already: it runs once (EnsureSuccess would call this an error)
        }
        ack.EnsureSuccess();
        return true;
    }

    /// <summary>Asks whichever worker runs job <paramref name="id"/> to stop it at a checkpoint.</summary>
    public ValueTask CancelAsync(string id) => _nats.PublishAsync(NatsNames.Control(id), "cancel");

    /// <summary>Hands every job event to <paramref name="handle"/> in order, acking each once handled.</summary>
    public async Task PumpAsync(Func<NatsJobEvent, ValueTask> handle, CancellationToken stop)
    {
        INatsJSConsumer consumer = await _js.GetConsumerAsync(NatsNames.EventsStream, NatsNames.ServerConsumer, stop).ConfigureAwait(false);
        while (!stop.IsCancellationRequested)
        {
            if (await NatsPull.NextAsync(consumer, stop).ConfigureAwait(false) is not { } message)
            {
                continue;
            }
            if (JsonSerializer.Deserialize<NatsJobEvent>(Encoding.UTF8.GetString(message.Data!), Json) is { } jobEvent)
            {
                await handle(jobEvent).ConfigureAwait(false);
            }
            await message.AckAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Puts the data files <paramref name="document"/> reads into the object store (each once, by its SHA-256).</summary>
    public Task<Dictionary<string, NatsDataFile>> UploadDataAsync(string document, CancellationToken cancellationToken) =>
        _data!.UploadAsync(document, cancellationToken);

    /// <summary>Job <paramref name="id"/>'s newest attempt that a worker has claimed (0: none yet).</summary>
    public Task<int> NewestAttemptAsync(string id, CancellationToken cancellationToken) => _fence!.NewestAsync(id, cancellationToken);

    /// <summary>
    /// Downloads job <paramref name="id"/>'s model, <paramref name="model"/> (relative to the job's folder), and the files
    /// that belong to it into <paramref name="jobFolder"/>; returns the model's path there.
    /// </summary>
    /// <exception cref="InvalidDataException">The path leaves the job's folder, or the store has no such model.</exception>
    public async Task<string> DownloadModelAsync(string id, string model, string jobFolder, CancellationToken cancellationToken)
    {
        string target = FolderBoundary.Resolve(jobFolder, model);
        if (!FolderBoundary.Contains(jobFolder, target))
        {
            throw new InvalidDataException($"model '{model}' is outside the job's folder");
        }
        bool found = false;
        await foreach (var meta in _objects!.ListAsync(NatsObjectKey.For(id, model), cancellationToken).ConfigureAwait(false))
        {
            string file = FolderBoundary.Resolve(jobFolder, NatsObjectKey.RelativePath(id, meta.Name));
            if (FolderBoundary.Contains(jobFolder, file) && Path.GetDirectoryName(file) == Path.GetDirectoryName(target))
            {
                await _objects.DownloadAsync(meta, file, cancellationToken).ConfigureAwait(false);
                found |= file == target;
            }
        }
        return found ? target : throw new InvalidDataException($"model '{model}' is not in the object store");
    }

    /// <summary>The workers heard from lately.</summary>
    public Task<IReadOnlyList<WorkerInfo>> WorkersAsync(CancellationToken cancellationToken) => NatsHeartbeat.ListAsync(_js, cancellationToken);

    public ValueTask DisposeAsync() => _nats.DisposeAsync();
}
