using Conduit.Frameworks;
using Conduit.Host.Checkpoints;
using Conduit.Host.Data;
using Conduit.Tracking;

namespace Conduit.Host.Training;

/// <summary>A job made ready to train: validated, data loaded and split, model built, resume state restored.</summary>
/// <param name="Run">The run's identity and settings.</param>
/// <param name="Session">The framework's training session (owned: disposed with this).</param>
/// <param name="Train">The training split.</param>
/// <param name="Validation">The validation split, if any.</param>
/// <param name="Test">The test split, if any.</param>
/// <param name="Resume">The checkpoint resumed from, if any.</param>
public sealed record PreparedRun(
    TrainerRun Run,
    ITrainingSession Session,
    IBatchedDataset Train,
    IBatchedDataset? Validation,
    IBatchedDataset? Test,
    CheckpointStore.Found? Resume) : IDisposable
{
    /// <summary>The run's dependency-injection scope (owned: disposed with this), where its loggers and callbacks were created.</summary>
    internal Runs.RunScope? Scope { get; init; }

    /// <summary>Where the accelerator choice landed (<c>cpu</c>, <c>cuda:0</c>).</summary>
    public required string Device { get; init; }

    /// <summary>The experiment loggers the job's <c>loggers</c> section names.</summary>
    public IReadOnlyList<IExperimentLogger> Loggers { get; init; } = [];

    /// <summary>The job's <c>export</c> setting: what to export at the end of a fit; null for nothing.</summary>
    public Inference.ExportSettings? Export { get; init; }

    /// <inheritdoc/>
    public void Dispose()
    {
        Session.Dispose();
        Scope?.Dispose();
        TrainingData.Release(Train, Validation, Test);
    }
}
