using System.Diagnostics;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Checkpoints;
using Conduit.Host.Data;
using Conduit.Host.Jobs;
using Conduit.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training;

/// <summary>
/// The framework-neutral training loop (Lightning's Trainer): epochs and steps, limits, validation cadence, gradient
/// accumulation, checkpoints and exact resume, stop requests, and every event published on the bus. The
/// <see cref="ITrainingSession"/> does the math in its framework; the <see cref="LoopPlan"/> says what the flags mean.
/// </summary>
public sealed partial class Trainer
{
    private readonly TrainerSettings _settings;
    private readonly ITrainingSession _session;
    private readonly DataSchema _schema;
    private readonly DataWaitClock _dataWait = new();
    private readonly IServiceProvider _services;
    private readonly TrainerEvents _events;
    private readonly TrainerCheckpoints _checkpoints;
    private readonly CallbackFaults _callbackFaults = new();
    private readonly EpochAccumulator _train = new();
    private TrainerPosition _position;
    private Dictionary<string, double> _metrics = new(StringComparer.Ordinal);

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
        _events = new TrainerEvents(services, _callbackFaults);
        _checkpoints = new TrainerCheckpoints(run, session, _events);
        run.Context?.Attach(this);
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
    public async Task<RunOutcome> FitAsync(IBatchedDataset train, IBatchedDataset? validation, IBatchedDataset? test = null, CheckpointMetadata? resume = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        var clock = Stopwatch.StartNew();
        LoopPlan plan = LoopPlan.Resolve(_settings, LoopData.Of(train, validation, Run.BatchSize, Run.DropLast, Run.Shuffle));
        var fit = new Fit(plan, train, plan.ValidatesOnTrainingData ? train : validation, cancellationToken);
        using IDisposable callbacks = SubscribeCallbacks();
        using var stop = new StopRequests(_services, Run.RunId, plan.MinEpochs);
        RunStatus status;
        string? reason;
        try
        {
            Start(resume);
            StopRun? stopped = await LoopAsync(fit, stop).ConfigureAwait(false);
            (status, reason) = stopped is null ? (RunStatus.Completed, null) : (RunStatus.Stopped, $"{stopped.Reason} ({stopped.Requester})");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            (status, reason) = (RunStatus.Canceled, "canceled");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Failed(e, clock);
        }
        string? last;
        try
        {
            // Still the run: a checkpoint that cannot be written or a test pass that throws fails it, with its end published.
            last = plan.WritesCheckpoints ? SaveLast(status) : null;
            if (test is not null && status is RunStatus.Completed or RunStatus.Stopped)
            {
                _checkpoints.LoadBestForTest();
                await EvaluateAsync(test, "test", _settings.LimitTestBatches, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Failed(e, clock);
        }
        return Finish(status, reason, clock, last);
    }

    /// <summary>Writes a checkpoint of the current position (used by ModelCheckpoint and at the end of fit).</summary>
    public CheckpointSaved SaveCheckpoint(string path, KeyValuePair<string, double>? monitor = null, RunStatus status = RunStatus.Running) =>
        _checkpoints.Write(path, new LoopState(_position, _train.Snapshot, _metrics), monitor, status);

    /// <summary>Asks the run to stop after the current batch (see <see cref="Conduit.Training.ITrainerContext.RequestStop"/>).</summary>
    public void RequestStop(string reason, string requester) =>
        _services.GetRequiredService<Conduit.Messaging.IPublisher<StopRun>>().Publish(new StopRun { RunId = Run.RunId, Reason = reason, Requester = requester });

    // One fit's plan, the data it trains and validates on (null: none), and its cancellation.
    private sealed record Fit(LoopPlan Plan, IBatchedDataset Train, IBatchedDataset? Validation, CancellationToken Token);

    private void Start(CheckpointMetadata? resume)
    {
        if (resume is not null)
        {
            _position = new TrainerPosition(resume.Epoch, resume.BatchInEpoch, resume.GlobalStep);
            _train.Restore(resume.Accumulator);
            _metrics = new Dictionary<string, double>(resume.Metrics, StringComparer.Ordinal);
            CallbackStates.Restore(Run.Callbacks, resume.Callbacks);
        }
        _events.RunStarted(Run, resume is null ? "fit" : "fit (resumed)", resume?.GlobalStep, _settings.EnableModelSummary ? _session.Summary : null);
    }

    // Epoch after epoch until max_epochs, max_steps or a stop; returns the stop request honoured, if any.
    private async Task<StopRun?> LoopAsync(Fit fit, StopRequests stop)
    {
        while (!fit.Plan.EpochsDone(_position.Epoch) && stop.Honoured(_position.Epoch) is null && !fit.Plan.StepsDone(_position.GlobalStep))
        {
            if (!await RunEpochAsync(fit, stop).ConfigureAwait(false))
            {
                break; // stopped inside the epoch (a stop request or max_steps): the position stays there
            }
        }
        return stop.Honoured(_position.Epoch);
    }

    // last.ckpt holds the exact position, mid-epoch included: `--resume last` continues from here.
    private string? SaveLast(RunStatus status)
    {
        if (_checkpoints.LastPath is not { } path)
        {
            return null;
        }
        return _checkpoints.Holds(path, _position) ? path : SaveCheckpoint(path, status: status).Path;
    }

    private TrainingFailedException Failed(Exception e, Stopwatch clock)
    {
        string reason = TrainingFailure.Reason(e);
        return new TrainingFailedException(reason, e, Finish(RunStatus.Failed, reason, clock, _checkpoints.LastWritten));
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

    private IDisposable SubscribeCallbacks()
    {
        var subscriptions = Run.Callbacks.Select(c => CallbackBridge.Subscribe(_services, c, Run.RunId, _callbackFaults)).ToList();
        return new Unsubscriber(subscriptions);
    }

    private sealed class Unsubscriber(List<IDisposable> parts) : IDisposable
    {
        public void Dispose() => parts.ForEach(p => p.Dispose());
    }
}
