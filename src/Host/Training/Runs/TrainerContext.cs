using Conduit.Messages;
using Conduit.Training;

namespace Conduit.Host.Training.Runs;

/// <summary>
/// The <see cref="ITrainerContext"/> of one run. Callbacks are created with the run's scope, before its trainer
/// exists; the trainer attaches itself here when it is built, and every call goes to it.
/// </summary>
internal sealed class TrainerContext : ITrainerContext
{
    private Trainer? _trainer;

    private Trainer Trainer => _trainer ?? throw new InvalidOperationException("The run's trainer has not started yet; use the trainer from a callback's hooks.");

    public int Epoch => Trainer.Position.Epoch;

    public long BatchInEpoch => Trainer.Position.BatchInEpoch;

    public long GlobalStep => Trainer.Position.GlobalStep;

    public IReadOnlyDictionary<string, double> Metrics => Trainer.Metrics;

    public IReadOnlyDictionary<string, double> LearningRates => Trainer.Session.LearningRates;

    /// <summary>Binds the run's trainer; once.</summary>
    public void Attach(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_trainer is not null && !ReferenceEquals(_trainer, trainer))
        {
            throw new InvalidOperationException("A run has one trainer.");
        }
        _trainer = trainer;
    }

    public CheckpointSaved SaveCheckpoint(string path, KeyValuePair<string, double>? monitor = null) => Trainer.SaveCheckpoint(path, monitor);

    public void RequestStop(string reason, string requester) => Trainer.RequestStop(reason, requester);
}
