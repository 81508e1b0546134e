using System.Diagnostics;
using System.Runtime.CompilerServices;
using Conduit.Data;
using Conduit.Host.Data;
using Conduit.Host.Jobs;
using Conduit.Messages;

namespace Conduit.Host.Training;

/// <summary>Evaluation outside the training loop: Lightning's validate, test and predict, and the test pass of fit.</summary>
public sealed partial class Trainer
{
    /// <summary>Lightning's <c>trainer.validate</c>: one run that evaluates the current weights on <paramref name="dataset"/> (<c>val_*</c> metrics).</summary>
    public Task<RunOutcome> ValidateAsync(IBatchedDataset dataset, CancellationToken cancellationToken = default) =>
        EvaluationRunAsync("validate", "val", dataset, _settings.LimitValBatches, cancellationToken);

    /// <summary>Lightning's <c>trainer.test</c>: one run that evaluates the current weights on <paramref name="dataset"/> (<c>test_*</c> metrics).</summary>
    public Task<RunOutcome> TestAsync(IBatchedDataset dataset, CancellationToken cancellationToken = default) =>
        EvaluationRunAsync("test", "test", dataset, _settings.LimitTestBatches, cancellationToken);

    /// <summary>Lightning's <c>trainer.predict</c>: the model's outputs for every batch of <paramref name="dataset"/>, in order.</summary>
    public async IAsyncEnumerable<TensorBuffer<float>> PredictAsync(IBatchedDataset dataset, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        await foreach (DataBatch batch in dataset.ReadBatchesAsync(new BatchOptions(Run.BatchSize), cancellationToken).ConfigureAwait(false))
        {
            yield return _session.Predict(batch.Features);
        }
    }

    /// <summary>Evaluates the model on <paramref name="dataset"/> within the current run and publishes the metrics.</summary>
    public async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(IBatchedDataset dataset, string prefix, BatchLimit limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        long batches = limit.Resolve(LoopData.BatchCount(dataset.Count, Run.BatchSize, dropLast: false));
        var metrics = await PassAsync(dataset, batches, prefix, cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in metrics)
        {
            _metrics[name] = value;
        }
        _events.MetricsLogged(Run.RunId, _position.GlobalStep, Math.Max(0, _position.Epoch - 1), metrics);
        return metrics;
    }

    private async Task<RunOutcome> EvaluationRunAsync(string stage, string prefix, IBatchedDataset dataset, BatchLimit limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _events.RunStarted(Run, stage);
        try
        {
            await EvaluateAsync(dataset, prefix, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Finish(RunStatus.Canceled, "canceled", clock);
        }
        return Finish(RunStatus.Completed, null, clock);
    }

    // Forward only over the first `batches` batches, in storage order.
    private async Task<Dictionary<string, double>> PassAsync(IBatchedDataset dataset, long batches, string prefix, CancellationToken cancellationToken)
    {
        var accumulator = new EpochAccumulator();
        long index = 0;
        await foreach (DataBatch batch in dataset.ReadBatchesAsync(new BatchOptions(Run.BatchSize), cancellationToken).ConfigureAwait(false))
        {
            if (index++ >= batches)
            {
                break;
            }
            accumulator.Add(_session.EvaluateStep(batch));
        }
        return accumulator.Metrics(prefix, _schema.Target);
    }
}
