using Conduit.Host.Server;

namespace Conduit.Host.Sweeps;

/// <summary>A trial's record once its job has ended: pruned stays pruned; otherwise the job's status, metrics and model.</summary>
internal static class TrialOutcome
{
    public static TrialRecord Of(TrialRecord trial, TrialEvent.Ended ended, SweepMetric metric)
    {
        if (ended.Job is not { } job)
        {
            return trial with { Status = "failed", Reason = ended.Reason };
        }
        string status = job.Status switch
        {
            _ when trial.Status == "pruned" => "pruned",
            ServerJobStatus.Completed => "completed",
            ServerJobStatus.Canceled => "canceled",
            ServerJobStatus.Failed => "failed",
            // Interrupted: its controller is stopping; it resumes with the next one.
            _ => "running",
        };
        double? value = status == "completed" && job.Metrics?.TryGetValue(metric.Name, out double final) == true ? final : trial.Value;
        return trial with
        {
            Status = status,
            Value = value,
            Reason = status == "pruned" ? trial.Reason : job.Reason,
            // A run stopped before its end was never tested: its final metrics would show test scores it has not.
            Metrics = status == "completed" ? job.Metrics : null,
            RunId = job.RunId ?? trial.RunId,
            Model = job.Model,
        };
    }
}
