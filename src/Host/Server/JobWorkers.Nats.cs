using System.Globalization;
using System.Text.Json;
using Conduit.Host.Scale;
using Conduit.Host.Workers;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Server;

public sealed partial class JobWorkers
{
    // Onto the work queue; the job id (with its resume count) is the message id, so a second publish of it runs nothing.
    private async Task PublishAsync(ServerJob job)
    {
        string file = documents.JobFile(job.Id);
        string messageId = job.Resume ? $"{job.Id}.resume.{job.Attempts.ToString(CultureInfo.InvariantCulture)}" : job.Id;
        try
        {
            string document = await File.ReadAllTextAsync(file).ConfigureAwait(false);
            var data = await _nats!.UploadDataAsync(document, _stopping.Token).ConfigureAwait(false);
            var message = new NatsJob(job.Id, job.Name, file, document, job.Resume, job.Attempts, data);
            if (!await _nats!.PublishAsync(message, messageId, _stopping.Token).ConfigureAwait(false))
            {
                DuplicateIgnored(logger, job.Id);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One job that cannot be queued must not stop the queue for the others.
            store.Update(job with { Status = ServerJobStatus.Failed, EndedAt = DateTimeOffset.UtcNow, Reason = $"could not be queued on NATS: {e.Message}" });
            _logs.GetOrAdd(job.Id, _ => new JobEventLog()).Complete("end", new { Status = "failed", Reason = $"could not be queued on NATS: {e.Message}" });
        }
    }

    // The events stream in order: the store, the job's run in the experiment store and its live log follow the attempt that is current.
    private async ValueTask OnNatsEventAsync(NatsJobEvent e)
    {
        if (store.Find(e.JobId) is not { } job || e.Attempt < job.Attempts)
        {
            return; // unknown here, or a late event of an attempt since replaced
        }
        JobEventLog log = _logs.GetOrAdd(e.JobId, _ => new JobEventLog());
        switch (e.Type)
        {
            case "started":
                if (job.Status == ServerJobStatus.Canceled)
                {
                    await _nats!.CancelAsync(job.Id).ConfigureAwait(false); // canceled while it waited in the queue
                    return;
                }
                string? before = job.RunId;
                job = job with
                {
                    Status = ServerJobStatus.Running, StartedAt = DateTimeOffset.UtcNow, Attempts = e.Attempt, Worker = e.Worker,
                    RunId = e.Data.TryGetProperty("runId", out JsonElement run) ? run.GetString() : job.RunId,
                };
                store.Update(job);
                if (before is not null && before != job.RunId)
                {
                    // An attempt that found no checkpoint starts a run of its own: the one it replaces ends, not "running" forever.
                    Record(job, () => _recorder!.JobEnded(before, "failed"));
                }
                log.AppendJson(e.Type, e.Data.GetRawText());
                break;
            case "end":
                // A stale worker's end can arrive before the newer attempt's start: the fence knows that one began.
                // Not canceled at shutdown: the pump finishes the event it began (a cancellation would fail the server's stop).
                if (e.Attempt < await _nats!.NewestAttemptAsync(job.Id, CancellationToken.None).ConfigureAwait(false))
                {
                    return;
                }
                WorkerEnd end = await WithModelHereAsync(job.Id, e.Data.Deserialize<WorkerEnd>(Json)!).ConfigureAwait(false);
                if (job.RunId is { } runId)
                {
                    Record(job, () => _recorder!.JobEnded(runId, end.Status == "interrupted" ? "canceled" : end.Status));
                }
                await FinishAsync(Ended(job with { Attempts = e.Attempt, Worker = e.Worker }, end), log).ConfigureAwait(false);
                break;
            default:
                Record(job, () => _recorder!.Record(job.RunId, e.Type, e.Data));
                log.AppendJson(e.Type, e.Data.GetRawText());
                break;
        }
    }

    // A store that cannot be written (a full disk, say) costs the run's record, not the events of every job after it.
    private void Record(ServerJob job, Action record)
    {
        try
        {
            record();
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or JsonException)
        {
            NotRecorded(logger, job.Id, job.RunId, ex.Message);
        }
    }

    // The worker names its model relative to the job's folder; the server serves it from its own copy.
    private async Task<WorkerEnd> WithModelHereAsync(string id, WorkerEnd end)
    {
        if (end.Model is not { } model)
        {
            return end;
        }
        try
        {
            return end with { Model = await _nats!.DownloadModelAsync(id, model, documents.Folder(id), CancellationToken.None).ConfigureAwait(false) };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return end with { Model = null, Reason = $"the model could not be fetched from NATS: {e.Message}" };
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id}: an event of run {RunId} could not be recorded in the experiment store: {Reason}")]
    private static partial void NotRecorded(ILogger logger, string id, string? runId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id} is on the queue already; the duplicate was not queued again")]
    private static partial void DuplicateIgnored(ILogger logger, string id);
}
