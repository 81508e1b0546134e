using System.Threading.Channels;
using Conduit.Host.Server;
using Conduit.Host.Sweeps.EarlyStop;
using Conduit.Host.Sweeps.Search;

namespace Conduit.Host.Sweeps;

/// <summary>
/// Runs one sweep: asks its search for parameters, submits each trial as an ordinary job (run by the worker
/// processes, local or on NATS), keeps <see cref="SweepDefinition.MaxConcurrent"/> running, feeds the metric each
/// trial reports after an epoch to the early-stop rule and cancels a trial it prunes. Every step is in the store
/// first, so a controller killed at any moment continues on restart: finished trials are not run again, running ones
/// are followed (or resumed from their checkpoint), and no parameter set is run twice.
/// </summary>
internal sealed class SweepController(string id, SweepDefinition sweep, SweepStore store, ServerJobStore jobs, JobSubmission submission, JobWorkers workers,
    Action<TrialRecord> changed)
{
    private readonly Channel<TrialEvent> _events = Channel.CreateUnbounded<TrialEvent>();
    private readonly SortedDictionary<int, TrialRecord> _trials = [];
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The sweep's id.</summary>
    public string Id => id;

    /// <summary>Stops the sweep: no more trials; running ones are canceled (each checkpoints) and the sweep ends canceled.</summary>
    public void Cancel() => _cancel.Cancel();

    /// <summary>Runs the sweep to its end; returns early, leaving it running in the store, when <paramref name="stop"/> is signalled.</summary>
    public async Task<SweepRecord> RunAsync(CancellationToken stop)
    {
        using var following = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var watch = new TrialWatch(sweep, jobs, submission, workers, _events.Writer);
        IEarlyStopRule? rule = sweep.EarlyStop?.Create();
        foreach (TrialRecord trial in store.Trials(id))
        {
            _trials[trial.Number] = trial;
        }
        foreach (var (number, epoch, value) in store.Reports(id))
        {
            rule?.Report(number, epoch, sweep.Metric.Loss(value)); // rebuilds the rule's rungs; its answers were acted on then
        }
        foreach (TrialRecord trial in _trials.Values.Where(t => !t.Ended))
        {
            _ = watch.FollowAsync(trial, following.Token);
        }
        ISearchMethod search = sweep.CreateSearch();
        bool exhausted = false;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop, _cancel.Token);
        try
        {
            while (true)
            {
                while (!_cancel.IsCancellationRequested && !exhausted && Running < sweep.MaxConcurrent && _trials.Count < sweep.MaxTrials)
                {
                    if (search.Suggest(_trials.Count, History()) is not { } parameters)
                    {
                        exhausted = true;
                        break;
                    }
                    var trial = new TrialRecord(_trials.Count, parameters, $"{id}-t{_trials.Count:D3}", "running", null, 0, null, null, null, null, null);
                    store.AddTrial(id, trial);
                    _trials[trial.Number] = trial;
                    _ = watch.FollowAsync(trial, following.Token);
                }
                if (Running == 0)
                {
                    break;
                }
                TrialEvent next = await _events.Reader.ReadAsync(waiting.Token).ConfigureAwait(false);
                Handle(next, rule);
            }
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return await CancelAsync(rule, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return store.Find(id)!;
        }
        following.Cancel();
        if (_cancel.IsCancellationRequested)
        {
            store.End(id, "canceled", "canceled by a client");
        }
        else
        {
            bool anyCompleted = _trials.Values.Any(t => t.Status == "completed");
            store.End(id, anyCompleted ? "completed" : "failed", anyCompleted ? null : "no trial completed");
        }
        return store.Find(id)!;
    }

    private int Running => _trials.Values.Count(t => !t.Ended);

    // Every trial started, in order; running ones (and ones without a result) have no loss yet.
    private List<Observation> History() =>
        [.. _trials.Values.Select(t => new Observation(t.Parameters, t.Status is "completed" or "pruned" && t.Value is { } v ? sweep.Metric.Loss(v) : null))];

    // Cancels every running trial and waits for their ends.
    private async Task<SweepRecord> CancelAsync(IEarlyStopRule? rule, CancellationToken stop)
    {
        foreach (TrialRecord trial in _trials.Values.Where(t => !t.Ended))
        {
            workers.Cancel(trial.JobId);
        }
        while (Running > 0)
        {
            Handle(await _events.Reader.ReadAsync(stop).ConfigureAwait(false), rule);
        }
        store.End(id, "canceled", "canceled by a client");
        return store.Find(id)!;
    }

    private void Handle(TrialEvent e, IEarlyStopRule? rule)
    {
        TrialRecord trial = _trials[e.Number];
        switch (e)
        {
            case TrialEvent.Started started:
                trial = trial with { RunId = started.RunId };
                break;
            case TrialEvent.Reported report when !trial.Ended:
                store.Report(id, trial.Number, report.Epoch, report.Value);
                trial = trial with { Value = report.Value, Epochs = report.Epoch };
                if (rule?.Report(trial.Number, report.Epoch, sweep.Metric.Loss(report.Value)) is { } prune && !_cancel.IsCancellationRequested)
                {
                    // Pruned in the store before the job is told, so a restart never resumes it.
                    trial = trial with { Status = "pruned", Rung = prune.Epoch, Reason = PruneReason(report.Value, prune) };
                    store.UpdateTrial(id, trial);
                    workers.Cancel(trial.JobId);
                }
                break;
            case TrialEvent.Ended ended:
                trial = TrialOutcome.Of(trial, ended, sweep.Metric);
                break;
            default:
                return;
        }
        _trials[e.Number] = trial;
        store.UpdateTrial(id, trial);
        changed(trial);
    }

    private string PruneReason(double value, PruneDecision prune) =>
        $"{sweep.Metric.Name} {value:G4} at epoch {prune.Epoch} is worse than {sweep.Metric.Value(prune.Cutoff):G4}, " +
        (sweep.EarlyStop!.Type == "asha"
            ? $"the cutoff for the best 1/{sweep.EarlyStop.ReductionFactor:G3} of {prune.Compared} trial(s) at this rung (ASHA)"
            : $"the median of {prune.Compared} other trial(s)' running means (median rule)");
}
