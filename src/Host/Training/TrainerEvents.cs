using Conduit.Frameworks;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training;

/// <summary>The publishers the trainer uses, resolved once per run; a callback's fault is thrown once its event is published.</summary>
internal sealed class TrainerEvents(IServiceProvider services, CallbackFaults faults)
{
    private readonly IPublisher<RunStarted> _runStarted = services.GetRequiredService<IPublisher<RunStarted>>();
    private readonly IPublisher<EpochStarted> _epochStarted = services.GetRequiredService<IPublisher<EpochStarted>>();
    private readonly IPublisher<BatchEnded> _batchEnded = services.GetRequiredService<IPublisher<BatchEnded>>();
    private readonly IPublisher<MetricsLogged> _metrics = services.GetRequiredService<IPublisher<MetricsLogged>>();
    private readonly IPublisher<ValidationEnded> _validationEnded = services.GetRequiredService<IPublisher<ValidationEnded>>();
    private readonly IPublisher<EpochEnded> _epochEnded = services.GetRequiredService<IPublisher<EpochEnded>>();
    private readonly IPublisher<CheckpointSaved> _checkpointSaved = services.GetRequiredService<IPublisher<CheckpointSaved>>();
    private readonly IPublisher<RunEnded> _runEnded = services.GetRequiredService<IPublisher<RunEnded>>();

    public void RunStarted(TrainerRun run, string stage, long? resumedAtStep = null, ModelSummary? model = null)
    {
        _runStarted.Publish(new RunStarted { RunId = run.RunId, Name = run.Job.Name, Stage = stage, StartedAt = DateTimeOffset.UtcNow, Hyperparameters = run.Job.Flatten(),
            RootDirectory = run.Job.ResolvePath(run.Job.Trainer.DefaultRootDir),
            ResumedAtStep = resumedAtStep,
            Model = model,
        });
        faults.ThrowIfAny();
    }

    public void EpochStarted(string runId, int epoch, int? maxEpochs, long batches)
    {
        _epochStarted.Publish(new EpochStarted { RunId = runId, Epoch = epoch, MaxEpochs = maxEpochs, BatchesInEpoch = batches });
        faults.ThrowIfAny();
    }

    public void BatchEnded(in BatchEnded message)
    {
        _batchEnded.Publish(message);
        faults.ThrowIfAny();
    }

    public void MetricsLogged(string runId, long step, int epoch, IReadOnlyDictionary<string, double> metrics) =>
        _metrics.Publish(new MetricsLogged { RunId = runId, Step = step, Epoch = epoch, Metrics = new Dictionary<string, double>(metrics, StringComparer.Ordinal) });

    public void ValidationEnded(string runId, int epoch, long step, IReadOnlyDictionary<string, double> metrics)
    {
        _validationEnded.Publish(new ValidationEnded { RunId = runId, Epoch = epoch, GlobalStep = step, Metrics = new Dictionary<string, double>(metrics, StringComparer.Ordinal) });
        faults.ThrowIfAny();
    }

    public void EpochEnded(string runId, int epoch, long step, IReadOnlyDictionary<string, double> metrics, TimeSpan duration)
    {
        _epochEnded.Publish(new EpochEnded { RunId = runId, Epoch = epoch, GlobalStep = step, Metrics = new Dictionary<string, double>(metrics, StringComparer.Ordinal), Duration = duration });
        faults.ThrowIfAny();
    }

    public void CheckpointSaved(CheckpointSaved message)
    {
        _checkpointSaved.Publish(message);
        faults.ThrowIfAny();
    }

    // The run is over whatever a callback throws here: its fault stays recorded, the outcome stands.
    public void RunEnded(string runId, RunStatus status, IReadOnlyDictionary<string, double> metrics, TimeSpan duration, string? error) =>
        _runEnded.Publish(new RunEnded { RunId = runId, Status = status, Metrics = metrics, Duration = duration, Error = error });
}
