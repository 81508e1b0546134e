using System.Collections.Concurrent;
using System.Threading.Channels;
using Conduit.Host.Jobs;
using Conduit.Host.Server.Events;
using Conduit.Host.Training;
using Conduit.Messages;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Server.Jobs;

/// <summary>
/// The server's job queue: accepted jobs are stored first, then handed to a fixed number of workers that train them
/// through the same <see cref="JobRunner"/> as <c>conduit run</c>. Canceling goes through the trainer's cancellation,
/// so the run ends after its current batch with a checkpoint; stopping the server does the same and marks the job
/// interrupted, to be resumed from that checkpoint.
/// </summary>
internal sealed partial class JobQueue : IHostedService, IDisposable
{
    private readonly ConduitHost _host;
    private readonly JobQueueStore _store;
    private readonly JobEventHub _events;
    private readonly ServerOptions _options;
    private readonly ILogger<JobQueue> _logger;
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];

    public JobQueue(ConduitHost host, JobQueueStore store, JobEventHub events, ServerOptions options, ILogger<JobQueue> logger)
    {
        _host = host;
        _store = store;
        _events = events;
        _options = options;
        _logger = logger;
        _events.CheckpointWritten += (job, saved) => _store.SetCheckpoint(job, saved.Path);
    }

    /// <summary>Whether the workers have started and the server is not stopping.</summary>
    public bool IsReady => _workers.Length > 0 && !_stopping.IsCancellationRequested;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        int interrupted = _store.MarkRunningInterrupted();
        foreach (JobRecord job in _store.Queued())
        {
            _events.Publish(job.Id, "queued", new { id = job.Id, job.Name });
            _ready.Writer.TryWrite(job.Id);
        }
        Log.Recovered(_logger, interrupted);
        _workers = Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => Task.Run(WorkAsync)).ToArray();
        return Task.CompletedTask;
    }

    /// <summary>Stores <paramref name="job"/> and queues it.</summary>
    public JobRecord Submit(JobSubmission.Accepted job)
    {
        _store.Add(job.Id, job.Name, job.Document, DateTimeOffset.UtcNow);
        _events.Publish(job.Id, "queued", new { id = job.Id, job.Name });
        _ready.Writer.TryWrite(job.Id);
        return _store.Find(job.Id)!;
    }

    /// <summary>Cancels a queued or running job; false when it had already finished.</summary>
    public bool Cancel(string id)
    {
        if (_running.TryGetValue(id, out RunningJob? running))
        {
            running.Stop(JobState.Canceled);
            return true;
        }
        JobRecord? job = _store.Find(id);
        if (job is null || job.Finished)
        {
            return false;
        }
        _store.SetState(id, JobState.Canceled, "canceled before it started");
        _events.Publish(id, "end", new { state = "canceled" }, end: true);
        return true;
    }

    /// <summary>Puts an interrupted job back in the queue, to continue from its last checkpoint.</summary>
    public bool Resume(string id)
    {
        if (_store.Find(id) is not { Resumable: true })
        {
            return false;
        }
        _store.Requeue(id);
        _events.Restart(id);
        _events.Publish(id, "queued", new { id, resume = true });
        _ready.Writer.TryWrite(id);
        return true;
    }

    public JobRecord? Find(string id) => _store.Find(id);

    public IReadOnlyList<JobRecord> All() => _store.All();

    /// <summary>Interrupts the running jobs (each writes a checkpoint) and waits for the workers; queued jobs stay stored.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _ready.Writer.TryComplete();
        foreach (RunningJob job in _running.Values)
        {
            job.Stop(JobState.Interrupted);
        }
        await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task WorkAsync()
    {
        try
        {
            await foreach (string id in _ready.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                if (_store.Find(id) is { State: JobState.Queued } job && !_stopping.IsCancellationRequested)
                {
                    await RunAsync(job).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: what is still queued stays in the store for the next start.
        }
    }

    private async Task RunAsync(JobRecord job)
    {
        using var running = new RunningJob();
        _running[job.Id] = running;
        _store.SetState(job.Id, JobState.Running);
        _events.Publish(job.Id, "started", new { id = job.Id, job.Name, resume = job.Resume });
        JobState state;
        string? error = null;
        string? runId = null;
        try
        {
            string file = Path.Combine(JobSubmission.Folder(_options, job.Id), "job.json");
            if (!File.Exists(file))
            {
                file = JobSubmission.WriteDocument(_options, job.Id, _store.Document(job.Id));
            }
            JobDefinition definition = JobSubmission.Load(_options, job.Id, file);
            var runner = new JobRunner(_host);
            using PreparedRun prepared = runner.Prepare(definition, job.Resume ? "last" : null);
            runId = prepared.Run.RunId;
            _store.SetRun(job.Id, runId);
            _events.Attach(runId, job.Id);
            RunOutcome outcome = await runner.RunAsync(prepared, "fit", running.Token).ConfigureAwait(false);
            state = outcome.Status switch
            {
                RunStatus.Completed or RunStatus.Stopped => JobState.Completed,
                RunStatus.Canceled => running.StopAs ?? JobState.Canceled,
                _ => JobState.Failed,
            };
            error = state == JobState.Interrupted ? "the server stopped while it ran" : outcome.Reason;
        }
        catch (OperationCanceledException) when (running.StopAs is not null)
        {
            // The trainer ended the run after its batch and wrote the checkpoint (its event stored the path).
            state = running.StopAs.Value;
            error = state == JobState.Interrupted ? "the server stopped while it ran" : "canceled";
        }
        catch (Exception e) when (e is JobValidationException or TrainingFailedException)
        {
            state = JobState.Failed;
            error = e.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            state = JobState.Failed;
            error = $"{e.GetType().Name}: {e.Message}";
            Log.JobCrashed(_logger, job.Id, e);
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
        }
        _store.SetState(job.Id, state, error);
        JobRecord stored = _store.Find(job.Id)!;
        _events.Publish(job.Id, "end", new { state = JobQueueStore.Text(state), error, checkpoint = stored.Checkpoint, resumable = stored.Resumable, runId }, end: true);
        if (runId is not null)
        {
            _events.Detach(runId);
        }
    }

    /// <summary>A job a worker is training: the token its trainer watches, and why it was stopped.</summary>
    private sealed class RunningJob : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();

        public CancellationToken Token => _cancel.Token;

        public JobState? StopAs { get; private set; }

        public void Stop(JobState why)
        {
            StopAs ??= why;
            _cancel.Cancel();
        }

        public void Dispose() => _cancel.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Job queue started; {Interrupted} job(s) found running from the last server marked interrupted")]
        public static partial void Recovered(ILogger logger, int interrupted);

        [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed unexpectedly")]
        public static partial void JobCrashed(ILogger logger, string jobId, Exception exception);
    }
}
