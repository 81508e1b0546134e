using System.Collections.Concurrent;
using System.Threading.Channels;
using Conduit.Host.Scale;
using Conduit.Host.Workers;
using Conduit.Tracking.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Server;

/// <summary>
/// Runs queued jobs, <see cref="ServerOptions.Workers"/> at a time, each in a worker process of its own
/// (<c>conduit worker</c>, the same job runner as <c>conduit run</c>), so that a crash in one ends that process only.
/// A worker that dies is replaced and the job continues from its last checkpoint, up to
/// <see cref="ServerOptions.MaxAttempts"/> processes. A canceled job checkpoints and ends as canceled; on shutdown,
/// running jobs checkpoint and are marked interrupted (resumable), and queued ones stay queued for the next server.
/// </summary>
public sealed partial class JobWorkers(ServerJobStore store, JobDocuments documents, ModelRegistry models, ServerOptions options,
    IHostApplicationLifetime lifetime, ILogger<JobWorkers> logger)
    : IHostedService
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, JobEventLog> _logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly WorkerLaunch _launch = new(options.Host.Plugins.Roots, options.Host.Plugins.Lock?.Path, options.Host.Limits, options.NatsUrl is null ? options.Workers : 1);
    private NatsDispatch? _nats;
    private JobRunRecorder? _recorder;
    private Task[] _workers = [];

    /// <summary>Whether the workers are running (the server is ready).</summary>
    public bool Ready { get; private set; }

    /// <summary>The event log of job <paramref name="id"/>, kept while this server runs.</summary>
    public JobEventLog? Events(string id) => _logs.GetValueOrDefault(id);

    /// <summary>The workers running now: this server's worker processes, or every worker heard from on NATS.</summary>
    public async Task<IReadOnlyList<WorkerInfo>> WorkersAsync(CancellationToken cancellationToken) =>
        _nats is not null ? await _nats.WorkersAsync(cancellationToken).ConfigureAwait(false) : LocalWorkers();

    private IReadOnlyList<WorkerInfo> LocalWorkers() =>
        [.. _running.Where(r => r.Value.Process is not null).Select(r => new WorkerInfo(
            $"{Environment.MachineName}:{r.Value.Process!.Pid}", Environment.MachineName, r.Value.Process.Pid, 1, [r.Key], r.Value.Process.LastSeen, r.Value.Process.RssMb))];

    /// <summary>Queues a job that is already in the store.</summary>
    public void Enqueue(ServerJob job)
    {
        var log = _logs.GetOrAdd(job.Id, _ => new JobEventLog());
        log.Append("queued", new { job.Id, job.Name });
        _queue.Writer.TryWrite(job.Id);
    }

    /// <summary>Queues a job again (a resume) with a fresh event stream.</summary>
    public void Restart(ServerJob job)
    {
        _logs[job.Id] = new JobEventLog();
        Enqueue(job);
    }

    /// <summary>Cancels job <paramref name="id"/>: a running one checkpoints and ends as canceled; a queued one never starts.</summary>
    public ServerJob? Cancel(string id)
    {
        ServerJob? job = store.Find(id);
        if (job is null)
        {
            return null;
        }
        if (_nats is not null && job.Status == ServerJobStatus.Running)
        {
            _ = _nats.CancelAsync(id).AsTask();
            return job;
        }
        if (_running.TryGetValue(id, out RunningJob? running))
        {
            running.Canceled = true;
            running.Process?.Send("cancel");
            return job;
        }
        if (job.Status == ServerJobStatus.Queued)
        {
            job = job with { Status = ServerJobStatus.Canceled, EndedAt = DateTimeOffset.UtcNow, Reason = "canceled before it started" };
            store.Update(job);
            _logs.GetOrAdd(id, _ => new JobEventLog()).Complete("end", new { Status = "canceled", job.Reason });
        }
        return job;
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.NatsUrl is { } url)
        {
            // Jobs run on the workers, not here: what was running when this server stopped is running still.
            _nats = await NatsDispatch.ConnectAsync(url, options.AckWait, options.MaxAttempts, cancellationToken).ConfigureAwait(false);
            _recorder = new JobRunRecorder(options.StorePath);
        }
        else if (store.MarkRunningInterrupted("the server stopped while it ran; resume it with POST /api/jobs/{id}/resume") is > 0 and int interrupted)
        {
            RecoveredInterrupted(logger, interrupted);
        }
        foreach (ServerJob job in store.Queued())
        {
            Enqueue(job);
        }
        _workers = _nats is { } nats
            ? [Task.Run(WorkAsync), Task.Run(() => nats.PumpAsync(OnNatsEventAsync, _stopping.Token))]
            : [.. Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => Task.Run(WorkAsync))];
        // Interrupt at the first sign of shutdown, before Kestrel waits for open requests to finish.
        lifetime.ApplicationStopping.Register(Interrupt);
        Ready = true;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Interrupt();
        try
        {
            await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_nats is not null)
            {
                await _nats.DisposeAsync().ConfigureAwait(false);
            }
            _recorder?.Dispose(); // the events pump, its only user, has ended
        }
        catch (OperationCanceledException)
        {
            // Out of time: a worker that would not stop goes now; its job resumes from its last checkpoint.
            foreach (RunningJob running in _running.Values)
            {
                running.Process?.Kill();
            }
            throw;
        }
    }

    // Running jobs checkpoint and end as interrupted; queued ones stay queued in the store for the next server.
    private void Interrupt()
    {
        Ready = false;
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        foreach (RunningJob running in _running.Values)
        {
            running.Process?.Send("interrupt");
        }
    }

    private async Task WorkAsync()
    {
        await foreach (string id in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            ServerJob? job;
            try
            {
                job = store.Find(id);
            }
            catch (StoreUnavailableException e)
            {
                StoreWriteLost(logger, id, e.Message); // the store was removed: the job cannot start
                continue;
            }
            if (job is { Status: ServerJobStatus.Queued })
            {
                await (_nats is null ? RunAsync(job) : PublishAsync(job)).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} job(s) were running when the last server stopped; they are marked interrupted and can be resumed")]
    private static partial void RecoveredInterrupted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id}: its state waits to be written: {Reason}")]
    private static partial void StoreWriteDeferred(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Id}: its state could not be written: {Reason}")]
    private static partial void StoreWriteLost(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id}: {Reason}; retrying from its last checkpoint (attempt {Attempt} of {MaxAttempts})")]
    private static partial void WorkerDied(ILogger logger, string id, string reason, int attempt, int maxAttempts);

    /// <summary>A job while it runs: its current worker process and whether a client canceled it.</summary>
    private sealed class RunningJob
    {
        public WorkerProcess? Process { get; set; }

        /// <summary>The run id from the worker's started event.</summary>
        public string? RunId { get; set; }

        public volatile bool Canceled;
    }
}
