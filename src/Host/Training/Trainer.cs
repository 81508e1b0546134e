using System.Diagnostics;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Checkpoints;
using Conduit.Host.Jobs;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training;

/// <summary>
/// The framework-neutral training loop (Lightning's Trainer): epochs and steps, limits, validation cadence, gradient
/// accumulation, checkpoints and exact resume, stop requests, and every event published on the bus. The
/// <see cref="ITrainingSession"/> does the math in its framework.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerSettings _settings;
    private readonly ITrainingSession _session;
    private readonly DataSchema _schema;
    private readonly DataWaitClock _dataWait = new();
    private readonly IServiceProvider _services;
    private readonly TrainerEvents _events;
    private readonly EpochAccumulator _train = new();
    private volatile StopRun? _stopRequest;
    private TrainerPosition _position;
    private Dictionary<string, double> _metrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrainerPosition> _saved = new(StringComparer.Ordinal);

    /// <summary>Creates a trainer for one run.</summary>
    /// <param name="run">The run's identity, data, checkpoint folder and callbacks.</param>
    /// <param name="session">The framework's training session.</param>
    /// <param name="services">The host's services: the bus.</param>
    public Trainer(TrainerRun run, ITrainingSession session, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(run);
        Run = run;
        _settings = run.Job.Trainer;
        _session = session;
        _schema = run.Schema;
        _services = services;
        _events = new TrainerEvents(services);
        foreach (var aware in run.Callbacks.OfType<Callbacks.ITrainerAware>())
        {
            aware.Attach(this, services);
        }
    }

    /// <summary>The run this trainer drives.</summary>
    public TrainerRun Run { get; }

    /// <summary>Where the loop stands now.</summary>
    public TrainerPosition Position => _position;

    /// <summary>The latest metrics (step, epoch and validation), by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics => _metrics;

    /// <summary>The training session.</summary>
    public ITrainingSession Session => _session;

    /// <summary>Fits the model: the training loop with validation, from <paramref name="resume"/> when given.</summary>
    /// <param name="train">The training data.</param>
    /// <param name="validation">The validation data, if any.</param>
    /// <param name="test">Test data: evaluated when fit ends (on the best checkpoint when ModelCheckpoint monitors a metric), inside the run.</param>
    /// <param name="resume">The checkpoint to continue from, if any.</param>
    /// <param name="cancellationToken">Stops the run after the current batch.</param>
    public async Task<RunOutcome> FitAsync(IDataset train, IDataset? validation, IDataset? test = null, CheckpointMetadata? resume = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        var clock = Stopwatch.StartNew();
        int fastDevRun = _settings.FastDevRun;
        bool overfit = !_settings.OverfitBatches.IsZero;
        long available = BatchCount(train, Run.BatchSize, Run.DropLast);
        long trainBatches = fastDevRun > 0 ? Math.Min(fastDevRun, available)
            : overfit ? _settings.OverfitBatches.Resolve(available)
            : _settings.LimitTrainBatches.Resolve(available);
        long valAvailable = validation is null ? 0 : BatchCount(validation, Run.BatchSize, false);
        long valBatches = fastDevRun > 0 ? Math.Min(fastDevRun, valAvailable)
            : overfit ? trainBatches
            : _settings.LimitValBatches.Resolve(valAvailable);
        IDataset? validationSet = overfit ? train : validation;
        int maxEpochs = fastDevRun > 0 ? 1 : _settings.MaxEpochs;
        long maxSteps = fastDevRun > 0 ? -1 : _settings.MaxSteps;
        long valEvery = ValidationInterval(trainBatches);

        using IDisposable callbacks = SubscribeCallbacks();
        using IDisposable stop = _services.GetRequiredService<ISubscriber<StopRun>>().Subscribe(OnStopRun);

        if (resume is not null)
        {
            _position = new TrainerPosition(resume.Epoch, resume.BatchInEpoch, resume.GlobalStep);
            _train.Restore(resume.Accumulator);
            _metrics = new Dictionary<string, double>(resume.Metrics, StringComparer.Ordinal);
            RestoreCallbacks(resume.Callbacks);
        }
        _events.RunStarted(Run, resume is null ? "fit" : "fit (resumed)", resume?.GlobalStep);
        if (_settings.EnableModelSummary)
        {
            _events.ModelSummarized(Run.RunId, _session.Summary);
        }

        RunStatus status = RunStatus.Completed;
        string? reason = null;
        try
        {
            while (true)
            {
                if (maxEpochs >= 0 && _position.Epoch >= maxEpochs)
                {
                    break;
                }
                if (StopHonoured(ref status, ref reason) || ReachedMaxSteps(maxSteps))
                {
                    break;
                }
                int epoch = _position.Epoch;
                var epochClock = Stopwatch.StartNew();
                _events.EpochStarted(Run.RunId, epoch, maxEpochs >= 0 ? maxEpochs : null, trainBatches);
                long skip = _position.BatchInEpoch;
                long batchIndex = 0;
                bool shuffle = Run.Shuffle && !overfit && fastDevRun == 0;
                await foreach (DataBatch batch in _dataWait.Time(train.ReadBatchesAsync(new BatchOptions(Run.BatchSize, shuffle, _settings.Seed, epoch, Run.DropLast), cancellationToken), cancellationToken).ConfigureAwait(false))
                {
                    if (batchIndex >= trainBatches)
                    {
                        break;
                    }
                    if (batchIndex < skip)
                    {
                        // Resuming mid-epoch: the same seeded order, so skipping re-reads exactly the batches already trained.
                        batchIndex++;
                        continue;
                    }
                    bool step = (batchIndex + 1) % _settings.AccumulateGradBatches == 0 || batchIndex + 1 == trainBatches;
                    StepResult result = _session.TrainStep(batch, step);
                    if (!double.IsFinite(result.Loss))
                    {
                        throw new TrainingDivergedException(epoch, batchIndex, result.Loss);
                    }
                    _train.Add(result);
                    batchIndex++;
                    _position = new TrainerPosition(epoch, batchIndex, _position.GlobalStep + (step ? 1 : 0));
                    _metrics["train_loss"] = result.Loss;
                    _events.BatchEnded(new BatchEnded(Run.RunId, epoch, batchIndex - 1, _position.GlobalStep, result.Loss, result.Count, trainBatches));
                    if (step && _position.GlobalStep % _settings.LogEveryNSteps == 0)
                    {
                        var logged = new Dictionary<string, double>(StringComparer.Ordinal) { ["train_loss"] = result.Loss };
                        foreach (var (name, lr) in _session.LearningRates)
                        {
                            logged[name] = lr;
                        }
                        _events.MetricsLogged(Run.RunId, _position.GlobalStep, epoch, logged);
                    }
                    if (validationSet is not null && valEvery > 0 && batchIndex % valEvery == 0 && batchIndex < trainBatches && ValidatesThisEpoch(epoch))
                    {
                        await ValidateAsync(validationSet, valBatches, epoch, cancellationToken).ConfigureAwait(false);
                    }
                    if (cancellationToken.IsCancellationRequested || _stopRequest is not null || ReachedMaxSteps(maxSteps))
                    {
                        break;
                    }
                }
                cancellationToken.ThrowIfCancellationRequested();
                bool epochFinished = _position.BatchInEpoch >= trainBatches;
                if (!epochFinished)
                {
                    // Stopped mid-epoch (a stop request or max_steps): the position stays inside the epoch.
                    break;
                }

                var epochMetrics = _train.Metrics("train", _schema.Target, "_epoch");
                if (validationSet is not null && valBatches > 0 && ValidatesThisEpoch(epoch))
                {
                    foreach (var (name, value) in await ValidateAsync(validationSet, valBatches, epoch, cancellationToken).ConfigureAwait(false))
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
                _events.EpochEnded(Run.RunId, epoch, _position.GlobalStep, epochMetrics, epochClock.Elapsed);
                if (fastDevRun > 0)
                {
                    break;
                }
            }
            StopHonoured(ref status, ref reason);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = RunStatus.Canceled;
            reason = "canceled";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            status = RunStatus.Failed;
            reason = $"{e.GetType().Name}: {e.Message}";
            throw new TrainingFailedException(reason, e, Finish(status, reason, clock));
        }
        string? last = SaveLast(status);
        if (test is not null && status is RunStatus.Completed or RunStatus.Stopped)
        {
            LoadBestForTest();
            await EvaluateAsync(test, "test", _settings.LimitTestBatches, cancellationToken).ConfigureAwait(false);
        }
        return Finish(status, reason, clock, last);
    }

    /// <summary>Lightning's <c>trainer.validate</c>: one run that evaluates the current weights on <paramref name="dataset"/> (<c>val_*</c> metrics).</summary>
    public Task<RunOutcome> ValidateAsync(IDataset dataset, CancellationToken cancellationToken = default) =>
        EvaluationRunAsync("validate", "val", dataset, _settings.LimitValBatches, cancellationToken);

    /// <summary>Lightning's <c>trainer.test</c>: one run that evaluates the current weights on <paramref name="dataset"/> (<c>test_*</c> metrics).</summary>
    public Task<RunOutcome> TestAsync(IDataset dataset, CancellationToken cancellationToken = default) =>
        EvaluationRunAsync("test", "test", dataset, _settings.LimitTestBatches, cancellationToken);

    /// <summary>Lightning's <c>trainer.predict</c>: the model's outputs for every batch of <paramref name="dataset"/>, in order.</summary>
    public async IAsyncEnumerable<TensorBuffer<float>> PredictAsync(IDataset dataset, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        await foreach (DataBatch batch in dataset.ReadBatchesAsync(new BatchOptions(Run.BatchSize), cancellationToken).ConfigureAwait(false))
        {
            yield return _session.Predict(batch.Features);
        }
    }

    private async Task<RunOutcome> EvaluationRunAsync(string stage, string prefix, IDataset dataset, BatchLimit limit, CancellationToken cancellationToken)
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

    /// <summary>Evaluates the model on <paramref name="dataset"/> within the current run and publishes the metrics.</summary>
    public async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(IDataset dataset, string prefix, BatchLimit limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        long batches = limit.Resolve(BatchCount(dataset, Run.BatchSize, false));
        var metrics = await PassAsync(dataset, batches, prefix, cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in metrics)
        {
            _metrics[name] = value;
        }
        _events.MetricsLogged(Run.RunId, _position.GlobalStep, Math.Max(0, _position.Epoch - 1), metrics);
        return metrics;
    }

    /// <summary>Writes a checkpoint of the current position (used by ModelCheckpoint and at the end of fit).</summary>
    public CheckpointSaved SaveCheckpoint(string path, KeyValuePair<string, double>? monitor = null, RunStatus status = RunStatus.Running)
    {
        var metadata = new CheckpointMetadata
        {
            Framework = Run.Framework,
            RunId = Run.RunId,
            JobName = Run.Job.Name,
            Epoch = _position.Epoch,
            BatchInEpoch = _position.BatchInEpoch,
            GlobalStep = _position.GlobalStep,
            Accumulator = _train.Snapshot,
            Metrics = new Dictionary<string, double>(_metrics, StringComparer.Ordinal),
            Callbacks = SaveCallbacks(),
            Job = Run.Job.Flatten(),
            FeatureShape = _schema.FeatureShape.Dimensions.ToArray(),
            ClassNames = _schema.ClassNames,
            Target = _schema.Target.ToString().ToLowerInvariant(),
            Normalizer = Run.Normalizer,
            Status = status,
        };
        CheckpointFile.Write(path, metadata, _session.SaveState);
        _saved[Path.GetFullPath(path)] = _position;
        // Users read "epoch=E" as the epoch the weights were trained in (Lightning's naming), not the one resume starts.
        int trainedEpoch = _position.BatchInEpoch == 0 ? Math.Max(0, _position.Epoch - 1) : _position.Epoch;
        var saved = new CheckpointSaved(Run.RunId, Path.GetFullPath(path), trainedEpoch, _position.GlobalStep, monitor);
        _events.CheckpointSaved(saved);
        return saved;
    }

    private async Task<Dictionary<string, double>> ValidateAsync(IDataset dataset, long batches, int epoch, CancellationToken cancellationToken)
    {
        var metrics = await PassAsync(dataset, batches, "val", cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in metrics)
        {
            _metrics[name] = value;
        }
        _events.ValidationEnded(Run.RunId, epoch, _position.GlobalStep, metrics);
        return metrics;
    }

    private async Task<Dictionary<string, double>> PassAsync(IDataset dataset, long batches, string prefix, CancellationToken cancellationToken)
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

    // last.ckpt holds the exact position, mid-epoch included: `--resume last` continues from here.
    private string? SaveLast(RunStatus status)
    {
        if (Run.CheckpointDirectory is null || !_settings.EnableCheckpointing || _settings.FastDevRun != 0)
        {
            return null;
        }
        string path = Path.GetFullPath(Path.Combine(Run.CheckpointDirectory, "last" + CheckpointFile.Extension));
        if (_saved.TryGetValue(path, out TrainerPosition position) && position == _position)
        {
            return path; // ModelCheckpoint just wrote it at this very position
        }
        return SaveCheckpoint(path, status: status).Path;
    }

    // Lightning tests the best checkpoint when one is tracked by a monitored metric; otherwise the final weights.
    private void LoadBestForTest()
    {
        if (Run.Callbacks.OfType<Callbacks.ModelCheckpoint>().FirstOrDefault() is { Monitor: not null, BestModelPath: { } best } && File.Exists(best))
        {
            var (_, state) = CheckpointFile.Read(best);
            using var stream = new MemoryStream(state, writable: false);
            _session.LoadState(stream);
        }
    }

    private RunOutcome Finish(RunStatus status, string? reason, Stopwatch clock, string? last = null)
    {
        var outcome = new RunOutcome(Run.RunId, status, new Dictionary<string, double>(_metrics, StringComparer.Ordinal), _position, reason, last)
        {
            DataWait = _dataWait.Waiting,
            TrainingLoopTime = _dataWait.Total,
        };
        _events.RunEnded(Run.RunId, status, outcome.Metrics, clock.Elapsed, reason);
        return outcome;
    }

    private bool StopHonoured(ref RunStatus status, ref string? reason)
    {
        StopRun? request = _stopRequest;
        if (request is null)
        {
            return false;
        }
        if (_position.Epoch < _settings.MinEpochs)
        {
            // min_epochs outranks early stopping: forget the request and go on.
            _stopRequest = null;
            return false;
        }
        status = RunStatus.Stopped;
        reason = $"{request.Reason} ({request.Requester})";
        return true;
    }

    private bool ReachedMaxSteps(long maxSteps) => maxSteps >= 0 && _position.GlobalStep >= maxSteps;

    private bool ValidatesThisEpoch(int epoch) => (epoch + 1) % _settings.CheckValEveryNEpoch == 0;

    private long ValidationInterval(long trainBatches) =>
        _settings.ValCheckInterval.Count is long count ? count
        : _settings.ValCheckInterval.Fraction is double f && f < 1.0 ? Math.Max(1, (long)Math.Floor(trainBatches * f))
        : 0;

    private void OnStopRun(StopRun request)
    {
        if (request.RunId == Run.RunId)
        {
            _stopRequest = request;
        }
    }

    private IDisposable SubscribeCallbacks()
    {
        var subscriptions = Run.Callbacks.Select(c => CallbackBridge.Subscribe(_services, c, Run.RunId)).ToList();
        return new Unsubscriber(subscriptions);
    }

    private Dictionary<string, string> SaveCallbacks()
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ITrainerCallback callback in Run.Callbacks)
        {
            if (callback.SaveState() is { } state)
            {
                states[callback.Name] = state;
            }
        }
        return states;
    }

    private void RestoreCallbacks(IReadOnlyDictionary<string, string> states)
    {
        foreach (ITrainerCallback callback in Run.Callbacks)
        {
            if (states.TryGetValue(callback.Name, out string? state))
            {
                callback.LoadState(state);
            }
        }
    }

    private static long BatchCount(IDataset dataset, int batchSize, bool dropLast) =>
        dataset.Count is long n ? BatchCount(n, batchSize, dropLast) : long.MaxValue;

    /// <summary>How many batches <paramref name="examples"/> make (a last, smaller one included unless <paramref name="dropLast"/>).</summary>
    internal static long BatchCount(long examples, int batchSize, bool dropLast) =>
        dropLast ? examples / batchSize : (examples + batchSize - 1) / batchSize;

    private sealed class Unsubscriber(List<IDisposable> parts) : IDisposable
    {
        public void Dispose() => parts.ForEach(p => p.Dispose());
    }
}
