using Conduit.Messages;

namespace Conduit.Training;

/// <summary>
/// The trainer of a run, as a callback sees it: where the loop stands, the latest metrics, and the two things a
/// callback may ask of it — write a checkpoint, stop the run. The built-in checkpointing, early stopping and
/// learning-rate monitor use nothing else.
/// </summary>
/// <remarks>Call it from a callback's hooks, on the training thread.</remarks>
public interface ITrainerContext
{
    /// <summary>The epoch in progress (0-based); after an epoch ends, the next one.</summary>
    int Epoch { get; }

    /// <summary>The training batches done in <see cref="Epoch"/>.</summary>
    long BatchInEpoch { get; }

    /// <summary>The optimizer steps done in the run.</summary>
    long GlobalStep { get; }

    /// <summary>The latest value of every metric (step, epoch and validation), by name.</summary>
    IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>The optimizer's current learning rates, by parameter group name.</summary>
    IReadOnlyDictionary<string, double> LearningRates { get; }

    /// <summary>Writes a checkpoint of the current position to <paramref name="path"/> (atomically); <paramref name="monitor"/> records the metric it was saved for.</summary>
    /// <returns>What was saved; the same message is published on the bus.</returns>
    CheckpointSaved SaveCheckpoint(string path, KeyValuePair<string, double>? monitor = null);

    /// <summary>Asks the run to stop after the current batch (honoured once <c>trainer.min_epochs</c> have run); the run ends stopped, with the reason.</summary>
    /// <param name="reason">Why, in words a user reads in the run's outcome.</param>
    /// <param name="requester">Who asks: the callback's name.</param>
    void RequestStop(string reason, string requester);
}
