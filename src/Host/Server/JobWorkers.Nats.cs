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
        var message = new NatsJob(job.Id, job.Name, file, await File.ReadAllTextAsync(file).ConfigureAwait(false), job.Resume);
        string messageId = job.Resume ? $"{job.Id}.resume.{job.Attempts.ToString(CultureInfo.InvariantCulture)}" : job.Id;
        try
        {
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

    // The events stream in order: the store and the job's live log follow the attempt that is current.
    private ValueTask OnNatsEventAsync(NatsJobEvent e)
    {
        if (store.Find(e.JobId) is not { } job || e.Attempt < job.Attempts)
        {
            return ValueTask.CompletedTask; // unknown here, or a late event of an attempt since replaced
        }
        JobEventLog log = _logs.GetOrAdd(e.JobId, _ => new JobEventLog());
        switch (e.Type)
        {
            case "started":
                if (job.Status == ServerJobStatus.Canceled)
                {
                    return _nats!.CancelAsync(job.Id); // canceled while it waited in the queue
                }
                store.Update(job with
                {
                    Status = ServerJobStatus.Running, StartedAt = DateTimeOffset.UtcNow, Attempts = e.Attempt, Worker = e.Worker,
                    RunId = e.Data.TryGetProperty("runId", out JsonElement run) ? run.GetString() : job.RunId,
                });
                log.AppendJson(e.Type, e.Data.GetRawText());
                break;
            case "end":
                return new ValueTask(FinishAsync(Ended(job with { Attempts = e.Attempt, Worker = e.Worker }, e.Data.Deserialize<WorkerEnd>(Json)!), log));
            default:
                log.AppendJson(e.Type, e.Data.GetRawText());
                break;
        }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id} is on the queue already; the duplicate was not queued again")]
    private static partial void DuplicateIgnored(ILogger logger, string id);
}
