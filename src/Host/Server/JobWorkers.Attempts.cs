using System.Text.Json;
using Conduit.Host.Workers;

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
                using WorkerProcess process = WorkerProcess.Start(_launch, documents.JobFile(job.Id), resume, (type, data) => OnEvent(job.Id, log, type, data));
                running.Process = process;
                job = job with
                {
                    Status = ServerJobStatus.Running, StartedAt = DateTimeOffset.UtcNow, EndedAt = null, Reason = null,
                    Attempts = job.Attempts + 1, Worker = $"{Environment.MachineName}:{process.Pid}",
                };
                store.Update(job);
                if (_stopping.IsCancellationRequested)
                {
                    process.Send("interrupt"); // the server began stopping while this worker started
                }
                WorkerExit exit = await process.WaitAsync().ConfigureAwait(false);
                running.Process = null;
                if (exit.End is { } end)
                {
                    job = Ended(job, end);
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
        Finish(job, log);
    }

    // The job's last state, in the store and as the last event of its stream (one shape, local or NATS).
    private void Finish(ServerJob job, JobEventLog log)
    {
        store.Update(job);
        log.Complete("end", new { Status = job.Status.ToString().ToLowerInvariant(), job.Reason, job.Metrics, job.Model, job.Attempts });
    }

    private void OnEvent(string id, JobEventLog log, string type, string data)
    {
        if (type == "started" && JsonSerializer.Deserialize<Started>(data, Json) is { RunId: { } runId } && store.Find(id) is { } job)
        {
            store.Update(job with { RunId = runId });
        }
        log.AppendJson(type, data);
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
        // The run id came with the worker's started event, which went to the store.
        return job with
        {
            Status = status, EndedAt = DateTimeOffset.UtcNow, Reason = end.Reason, Metrics = end.Metrics, Model = end.Model,
            RunId = store.Find(job.Id)?.RunId ?? job.RunId, Resume = status == ServerJobStatus.Interrupted,
        };
    }

    private sealed record Started(string? RunId);
}
