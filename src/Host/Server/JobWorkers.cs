using System.Collections.Concurrent;
using System.Threading.Channels;
using Conduit.Host.Jobs;
using Conduit.Host.Training;
using Conduit.Messages;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Server;

/// <summary>
/// Runs queued jobs, <see cref="ServerOptions.Workers"/> at a time, through the same job runner as <c>conduit run</c>.
/// A canceled job checkpoints and ends as canceled; on shutdown, running jobs checkpoint and are marked interrupted
/// (resumable), and queued ones stay queued for the next server.
/// </summary>
public sealed partial class JobWorkers(ConduitHost host, ServerJobStore store, JobDocuments documents, JobEventRelay relay, ModelRegistry models, ServerOptions options,
    IHostApplicationLifetime lifetime, ILogger<JobWorkers> logger)
    : IHostedService
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, JobEventLog> _logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];

    /// <summary>Whether the workers are running (the server is ready).</summary>
    public bool Ready { get; private set; }

    /// <summary>The event log of job <paramref name="id"/>, kept while this server runs.</summary>
    public JobEventLog? Events(string id) => _logs.GetValueOrDefault(id);

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
        if (_running.TryGetValue(id, out CancellationTokenSource? cancel))
        {
            cancel.Cancel();
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
    public Task StartAsync(CancellationToken cancellationToken)
    {
        int interrupted = store.MarkRunningInterrupted("the server stopped while it ran; resume it with POST /api/jobs/{id}/resume");
        if (interrupted > 0)
        {
            RecoveredInterrupted(logger, interrupted);
        }
        foreach (ServerJob job in store.Queued())
        {
            Enqueue(job);
        }
        _workers = [.. Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => Task.Run(WorkAsync))];
        // Interrupt at the first sign of shutdown, before Kestrel waits for open requests to finish.
        lifetime.ApplicationStopping.Register(Interrupt);
        Ready = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Interrupt();
        await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Running jobs checkpoint and end as interrupted; queued ones stay queued in the store for the next server.
    private void Interrupt()
    {
        Ready = false;
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        foreach (CancellationTokenSource running in _running.Values)
        {
            running.Cancel();
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
            ServerJob? job = store.Find(id);
            if (job is { Status: ServerJobStatus.Queued })
            {
                await RunAsync(job).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(ServerJob job)
    {
        JobEventLog log = _logs.GetOrAdd(job.Id, _ => new JobEventLog());
        using var cancel = new CancellationTokenSource();
        _running[job.Id] = cancel;
        string? runId = null;
        try
        {
            job = job with { Status = ServerJobStatus.Running, StartedAt = DateTimeOffset.UtcNow, EndedAt = null, Reason = null };
            store.Update(job);
            JobDefinition definition = JobLoader.Load(documents.JobFile(job.Id));
            var runner = new JobRunner(host);
            using PreparedRun prepared = runner.Prepare(definition, job.Resume ? "last" : null);
            runId = prepared.Run.RunId;
            job = job with { RunId = runId };
            store.Update(job);
            relay.Register(runId, log);
            log.Append("started", new { job.Id, RunId = runId, prepared.Device, Resumed = job.Resume });
            RunOutcome outcome = await runner.RunAsync(prepared, "fit", cancel.Token).ConfigureAwait(false);
            ServerJobStatus status = outcome.Status switch
            {
                RunStatus.Completed or RunStatus.Stopped when outcome.ExportError is null => ServerJobStatus.Completed,
                RunStatus.Canceled => _stopping.IsCancellationRequested ? ServerJobStatus.Interrupted : ServerJobStatus.Canceled,
                _ => ServerJobStatus.Failed,
            };
            string? reason = status switch
            {
                ServerJobStatus.Interrupted => "the server stopped; resume it with POST /api/jobs/{id}/resume",
                ServerJobStatus.Failed => outcome.ExportError ?? outcome.Reason,
                _ => outcome.Reason,
            };
            job = job with { Status = status, EndedAt = DateTimeOffset.UtcNow, Reason = reason, Metrics = outcome.Metrics, Model = outcome.Export?.Path, Resume = status == ServerJobStatus.Interrupted };
            if (outcome.Export is { } export)
            {
                models.Register(definition.Name, export.Path);
            }
        }
        catch (JobValidationException e)
        {
            job = job with { Status = ServerJobStatus.Failed, EndedAt = DateTimeOffset.UtcNow, Reason = string.Join("; ", e.Problems) };
        }
        catch (TrainingFailedException e)
        {
            job = job with { Status = ServerJobStatus.Failed, EndedAt = DateTimeOffset.UtcNow, Reason = e.Message, Metrics = e.Outcome.Metrics };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            JobCrashed(logger, job.Id, e);
            job = job with { Status = ServerJobStatus.Failed, EndedAt = DateTimeOffset.UtcNow, Reason = $"{e.GetType().Name}: {e.Message}" };
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
            if (runId is not null)
            {
                relay.Unregister(runId);
            }
        }
        store.Update(job);
        log.Complete("end", new { Status = job.Status.ToString().ToLowerInvariant(), job.Reason, job.Metrics, job.Model });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} job(s) were running when the last server stopped; they are marked interrupted and can be resumed")]
    private static partial void RecoveredInterrupted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Id} failed unexpectedly")]
    private static partial void JobCrashed(ILogger logger, string id, Exception exception);
}
