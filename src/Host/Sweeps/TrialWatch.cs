using System.Text.Json;
using System.Threading.Channels;
using Conduit.Host.Jobs;
using Conduit.Host.Server;

namespace Conduit.Host.Sweeps;

/// <summary>
/// Follows one trial's job for its sweep: submits it when it has no job yet (a controller that died between recording
/// the trial and submitting it), queues it again when it was interrupted, then turns its event stream into
/// <see cref="TrialEvent"/>s: the run's id, the sweep's metric after each epoch, the end.
/// </summary>
internal sealed class TrialWatch(SweepDefinition sweep, ServerJobStore jobs, JobSubmission submission, JobWorkers workers, ChannelWriter<TrialEvent> events)
{
    /// <summary>Follows <paramref name="trial"/> until its job ends or <paramref name="stop"/> is signalled.</summary>
    public async Task FollowAsync(TrialRecord trial, CancellationToken stop)
    {
        ServerJob? job = jobs.Find(trial.JobId);
        if (job is null)
        {
            try
            {
                job = submission.Submit(sweep.TrialJob(trial.Number, trial.Parameters), trial.JobId);
            }
            catch (JobValidationException e)
            {
                await events.WriteAsync(new TrialEvent.Ended(trial.Number, null, string.Join("; ", e.Problems)), CancellationToken.None).ConfigureAwait(false);
                return;
            }
        }
        else if (job.Status == ServerJobStatus.Interrupted || job.Status == ServerJobStatus.Canceled && trial.Status == "running")
        {
            // Its controller (or server) stopped while it ran: it continues from its last checkpoint.
            job = job with { Status = ServerJobStatus.Queued, Resume = true, EndedAt = null };
            jobs.Update(job);
            workers.Restart(job);
        }
        if (workers.Events(trial.JobId) is not { } log)
        {
            // It ended before this controller started.
            await events.WriteAsync(new TrialEvent.Ended(trial.Number, job), CancellationToken.None).ConfigureAwait(false);
            return;
        }
        await foreach (ServerEvent e in log.ReadAsync(0, stop).ConfigureAwait(false))
        {
            if (Read(trial, e) is { } read)
            {
                await events.WriteAsync(read, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private TrialEvent? Read(TrialRecord trial, ServerEvent e)
    {
        int number = trial.Number;
        switch (e.Type)
        {
            case "started":
                using (JsonDocument started = JsonDocument.Parse(e.Data))
                {
                    return started.RootElement.TryGetProperty("runId", out JsonElement runId) && runId.GetString() is { } id ? new TrialEvent.Started(number, id) : null;
                }
            case "epoch":
                using (JsonDocument epoch = JsonDocument.Parse(e.Data))
                {
                    JsonElement root = epoch.RootElement;
                    return root.TryGetProperty("metrics", out JsonElement metrics) && metrics.TryGetProperty(sweep.Metric.Name, out JsonElement value)
                        && value.TryGetDouble(out double v) && double.IsFinite(v)
                        ? new TrialEvent.Reported(number, root.GetProperty("epoch").GetInt32() + 1, v)
                        : null;
                }
            case "end":
                return new TrialEvent.Ended(number, jobs.Find(trial.JobId));
            default:
                return null;
        }
    }
}
