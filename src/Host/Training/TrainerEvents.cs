using Conduit.Frameworks;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training;

/// <summary>The publishers the trainer uses, resolved once per run.</summary>
internal sealed class TrainerEvents(IServiceProvider services)
{
    private readonly IPublisher<RunStarted> _runStarted = services.GetRequiredService<IPublisher<RunStarted>>();
    private readonly IPublisher<ModelSummarized> _summarized = services.GetRequiredService<IPublisher<ModelSummarized>>();
    private readonly IPublisher<EpochStarted> _epochStarted = services.GetRequiredService<IPublisher<EpochStarted>>();
    private readonly IPublisher<BatchEnded> _batchEnded = services.GetRequiredService<IPublisher<BatchEnded>>();
    private readonly IPublisher<MetricsLogged> _metrics = services.GetRequiredService<IPublisher<MetricsLogged>>();
    private readonly IPublisher<ValidationEnded> _validationEnded = services.GetRequiredService<IPublisher<ValidationEnded>>();
    private readonly IPublisher<EpochEnded> _epochEnded = services.GetRequiredService<IPublisher<EpochEnded>>();
    private readonly IPublisher<CheckpointSaved> _checkpointSaved = services.GetRequiredService<IPublisher<CheckpointSaved>>();
    private readonly IPublisher<RunEnded> _runEnded = services.GetRequiredService<IPublisher<RunEnded>>();

    public void RunStarted(TrainerRun run, string stage, long? resumedAtStep = null) =>
        _runStarted.Publish(new RunStarted(run.RunId, run.Job.Name, stage, DateTimeOffset.UtcNow, run.Job.Flatten())
        {
            RootDirectory = run.Job.ResolvePath(run.Job.Trainer.DefaultRootDir),
            ResumedAtStep = resumedAtStep,
        });

    public void ModelSummarized(string runId, ModelSummary summary) => _summarized.Publish(new ModelSummarized(runId, summary));

    public void EpochStarted(string runId, int epoch, int? maxEpochs, long batches) =>
        _epochStarted.Publish(new EpochStarted(runId, epoch, maxEpochs, batches));

    public void BatchEnded(in BatchEnded message) => _batchEnded.Publish(message);

    public void MetricsLogged(string runId, long step, int epoch, IReadOnlyDictionary<string, double> metrics) =>
        _metrics.Publish(new MetricsLogged(runId, step, epoch, new Dictionary<string, double>(metrics, StringComparer.Ordinal)));

    public void ValidationEnded(string runId, int epoch, long step, IReadOnlyDictionary<string, double> metrics) =>
        _validationEnded.Publish(new ValidationEnded(runId, epoch, step, new Dictionary<string, double>(metrics, StringComparer.Ordinal)));

    public void EpochEnded(string runId, int epoch, long step, IReadOnlyDictionary<string, double> metrics, TimeSpan duration) =>
        _epochEnded.Publish(new EpochEnded(runId, epoch, step, new Dictionary<string, double>(metrics, StringComparer.Ordinal), duration));

    public void CheckpointSaved(CheckpointSaved message) => _checkpointSaved.Publish(message);

    public void RunEnded(string runId, RunStatus status, IReadOnlyDictionary<string, double> metrics, TimeSpan duration, string? error) =>
        _runEnded.Publish(new RunEnded(runId, status, metrics, duration, error));
}
