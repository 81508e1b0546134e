using System.Text.Json;
using Conduit.Host.Workers;
using Conduit.Tracking.Store;

namespace Conduit.Host.Server;

public sealed partial class JobWorkers
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // One worker process per attempt; a worker that dies without reporting the job's end is replaced while attempts remain.
    private async Task RunAsync(ServerJob job)
    {
        JobEventLog log = _logs.GetOrAdd(job.Id, _ => new JobEventLog());
        var running = new RunningJob();
        _running[job.Id] = running;
        try
        {
            bool resume = job.Resume;
            while (true)
            {
                using WorkerProcess process = WorkerProcess.Start(_launch, documents.JobFile(job.Id), resume, (type, data) => OnEvent(job.Id, running, log, type, data));
                running.Process = process;
                job = job with
                {
                    Status = ServerJobStatus.Running, StartedAt = DateTimeOffset.UtcNow, EndedAt = null, Reason = null,
                    Attempts = job.Attempts + 1, Worker = $"{Environment.MachineName}:{process.Pid}",
                };
                await SaveAsync(job).ConfigureAwait(false);
                if (_stopping.IsCancellationRequested)
                {
                    process.Send("interrupt"); // the server began stopping while this worker started
                }
                WorkerExit exit = await process.WaitAsync().ConfigureAwait(false);
                running.Process = null;
                if (exit.End is { } end)
                {
                    job = Ended(job with { RunId = running.RunId ?? job.RunId }, end);
                    break;
                }
                string reason = exit.Describe();
                if (running.Canceled || _stopping.IsCancellationRequested || job.Attempts >= options.MaxAttempts)
                {
                    job = running.Canceled ? job with { Status = ServerJobStatus.Canceled, Reason = reason }
                        : _stopping.IsCancellationRequested ? job with { Status = ServerJobStatus.Interrupted, Reason = reason, Resume = true }
                        : job with { Status = ServerJobStatus.Failed, Reason = $"{reason}; gave up after {job.Attempts} attempt(s) (--max-attempts {options.MaxAttempts})" };
                    job = job with { EndedAt = DateTimeOffset.UtcNow };
                    break;
                }
                WorkerDied(logger, job.Id, reason, job.Attempts + 1, options.MaxAttempts);
                log.Append("retry", new { Attempt = job.Attempts + 1, options.MaxAttempts, Reason = reason });
                resume = true;
            }
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
        }
        await FinishAsync(job with { RunId = running.RunId ?? job.RunId }, log).ConfigureAwait(false);
    }

    // The job's last state, in the store and as the last event of its stream (one shape, local or NATS).
    private async Task FinishAsync(ServerJob job, JobEventLog log)
    {
        await SaveAsync(job).ConfigureAwait(false);
        log.Complete("end", new { Status = job.Status.ToString().ToLowerInvariant(), job.Reason, job.Metrics, job.Model, job.Attempts });
    }

    // Runs on the process's output reader, where an exception would end the server: the run id is kept with the job
    // and written now if the store takes it, else with the job's next state.
    private void OnEvent(string id, RunningJob running, JobEventLog log, string type, string data)
    {
        if (type == "started" && JsonSerializer.Deserialize<Started>(data, Json) is { RunId: { } runId })
        {
            running.RunId = runId;
            try
            {
                if (store.Find(id) is { } job)
                {
                    store.Update(job with { RunId = runId });
                }
            }
            catch (StoreUnavailableException e)
            {
                StoreWriteDeferred(logger, id, e.Message);
            }
        }
        log.AppendJson(type, data);
    }

    // A job's state: a locked store delays it (retried until written), never drops it; a removed store cannot take
    // it, which the server reports on every request, so the job's stream still ends.
    private async Task SaveAsync(ServerJob job)
    {
        for (bool first = true; ; first = false)
        {
            try
            {
                store.Update(job);
                return;
            }
            catch (StoreUnavailableException e) when (e.RetryAfter is { } wait)
            {
                if (first)
                {
                    StoreWriteDeferred(logger, job.Id, e.Message);
                }
                await Task.Delay(wait).ConfigureAwait(false);
            }
            catch (StoreUnavailableException e)
            {
                StoreWriteLost(logger, job.Id, e.Message);
                return;
            }
        }
    }

    private ServerJob Ended(ServerJob job, WorkerEnd end)
    {
        ServerJobStatus status = end.Status switch
        {
            "completed" => ServerJobStatus.Completed,
            "canceled" => ServerJobStatus.Canceled,
            "interrupted" => ServerJobStatus.Interrupted,
            _ => ServerJobStatus.Failed,
        };
        if (end.Model is { } model)
        {
            models.Register(job.Name, model);
        }
        return job with
        {
            Status = status, EndedAt = DateTimeOffset.UtcNow, Reason = end.Reason, Metrics = end.Metrics, Model = end.Model,
            Resume = status == ServerJobStatus.Interrupted,
        };
    }

    private sealed record Started(string? RunId);
}
