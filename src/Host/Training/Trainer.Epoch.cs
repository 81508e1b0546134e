using System.Diagnostics;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Data;
using Conduit.Messages;

namespace Conduit.Host.Training;

/// <summary>One epoch of fit, in steps: read the batches, train each, validate when due, end the epoch.</summary>
public sealed partial class Trainer
{
    // Trains the epoch the position is in, from the batch a resume left off; false when it stopped inside the epoch.
    private async Task<bool> RunEpochAsync(Fit fit, StopRequests stop)
    {
        int epoch = _position.Epoch;
        var clock = Stopwatch.StartNew();
        _events.EpochStarted(Run.RunId, epoch, fit.Plan.MaxEpochs >= 0 ? fit.Plan.MaxEpochs : null, fit.Plan.TrainBatches);
        long skip = _position.BatchInEpoch;
        long index = 0;
        var options = new BatchOptions(Run.BatchSize, fit.Plan.Shuffle, _settings.Seed, epoch, Run.DropLast);
        await foreach (DataBatch batch in _dataWait.Time(fit.Train.ReadBatchesAsync(options, fit.Token), fit.Token).ConfigureAwait(false))
        {
            if (index >= fit.Plan.TrainBatches)
            {
                break;
            }
            if (index < skip)
            {
                // Resuming mid-epoch: the same seeded order, so skipping re-reads exactly the batches already trained.
                index++;
                continue;
            }
            await TrainBatchAsync(fit, batch, epoch, index++).ConfigureAwait(false);
            if (fit.Token.IsCancellationRequested || stop.Pending || fit.Plan.StepsDone(_position.GlobalStep))
            {
                break;
            }
        }
        fit.Token.ThrowIfCancellationRequested();
        if (!fit.Plan.EpochDone(_position.BatchInEpoch))
        {
            return false;
        }
        await EndEpochAsync(fit, epoch, clock).ConfigureAwait(false);
        return true;
    }

    // Forward and backward on one batch; the optimizer steps when the batch completes its accumulation group.
    private async Task TrainBatchAsync(Fit fit, DataBatch batch, int epoch, long index)
    {
        bool step = fit.Plan.StepsAfter(index);
        StepResult result = _session.TrainStep(batch, step);
        if (!double.IsFinite(result.Loss))
        {
            throw new TrainingDivergedException(epoch, index, result.Loss);
        }
        _train.Add(result);
        _position = new TrainerPosition(epoch, index + 1, _position.GlobalStep + (step ? 1 : 0));
        _metrics["train_loss"] = result.Loss;
        _events.BatchEnded(new BatchEnded { RunId = Run.RunId, Epoch = epoch, BatchIndex = index, GlobalStep = _position.GlobalStep, Loss = result.Loss, BatchSize = result.Count, BatchesInEpoch = fit.Plan.TrainBatches });
        if (step && _position.GlobalStep % fit.Plan.LogEveryNSteps == 0)
        {
            LogStep(epoch, result.Loss);
        }
        if (fit.Plan.ValidatesAfter(index + 1, epoch))
        {
            await ValidateAsync(fit, epoch).ConfigureAwait(false);
        }
    }

    private void LogStep(int epoch, double loss)
    {
        var logged = new Dictionary<string, double>(StringComparer.Ordinal) { ["train_loss"] = loss };
        foreach (var (name, lr) in _session.LearningRates)
        {
            logged[name] = lr;
        }
        _events.MetricsLogged(Run.RunId, _position.GlobalStep, epoch, logged);
    }

    // The epoch's metrics (with a validation pass when due), the session's per-epoch schedulers, then the next epoch.
    private async Task EndEpochAsync(Fit fit, int epoch, Stopwatch clock)
    {
        var epochMetrics = _train.Metrics("train", _schema.Target, "_epoch");
        if (fit.Plan.ValidatesAtEndOf(epoch))
        {
            foreach (var (name, value) in await ValidateAsync(fit, epoch).ConfigureAwait(false))
            {
                epochMetrics[name] = value;
            }
        }
        _session.EndEpoch(epoch, epochMetrics);
        foreach (var (name, value) in epochMetrics)
        {
            _metrics[name] = value;
        }
        _train.Reset();
        _position = new TrainerPosition(epoch + 1, 0, _position.GlobalStep);
        _events.MetricsLogged(Run.RunId, _position.GlobalStep, epoch, epochMetrics);
        _events.EpochEnded(Run.RunId, epoch, _position.GlobalStep, epochMetrics, clock.Elapsed);
    }

    // The plan validates only when there are batches to validate on, so the data is there.
    private async Task<Dictionary<string, double>> ValidateAsync(Fit fit, int epoch)
    {
        var metrics = await PassAsync(fit.Validation!, fit.Plan.ValidationBatches, "val", fit.Token).ConfigureAwait(false);
        foreach (var (name, value) in metrics)
        {
            _metrics[name] = value;
        }
        _events.ValidationEnded(Run.RunId, epoch, _position.GlobalStep, metrics);
        return metrics;
    }
}
