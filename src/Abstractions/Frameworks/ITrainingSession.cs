using Conduit.Data;

namespace Conduit.Frameworks;

/// <summary>
/// A model with its loss, optimizer and learning-rate scheduler in one framework, driven one batch at a time by the
/// host's trainer loop. The loop owns epochs, limits, validation cadence and checkpoints; the session owns the math.
/// </summary>
public interface ITrainingSession : IDisposable
{
    /// <summary>The model's layers and parameter counts.</summary>
    ModelSummary Summary { get; }

    /// <summary>
    /// Runs forward and backward on <paramref name="batch"/>, accumulating gradients (the loss is divided by
    /// <see cref="TrainingSessionOptions.AccumulateGradBatches"/>); when <paramref name="step"/> is true, clips
    /// gradients as configured, steps the optimizer and any per-step scheduler, and zeroes the gradients.
    /// </summary>
    /// <returns>The batch's (undivided) loss and metrics.</returns>
    StepResult TrainStep(DataBatch batch, bool step);

    /// <summary>Runs forward only, in evaluation mode, and returns the batch's loss and metrics.</summary>
    StepResult EvaluateStep(DataBatch batch);

    /// <summary>Runs forward only, in evaluation mode, and returns the model's outputs for <paramref name="features"/>.</summary>
    TensorBuffer<float> Predict(ITensorBuffer features);

    /// <summary>The current learning rate of each parameter group, keyed by a display name (<c>lr-Adam</c>).</summary>
    IReadOnlyDictionary<string, double> LearningRates { get; }

    /// <summary>An epoch has ended: steps per-epoch schedulers (reduce-on-plateau reads its monitored metric from <paramref name="metrics"/>).</summary>
    void EndEpoch(int epoch, IReadOnlyDictionary<string, double> metrics);

    /// <summary>Writes everything needed to continue exactly: weights, optimizer, scheduler and random generator state.</summary>
    void SaveState(Stream destination);

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The state does not fit this model.</exception>
    void LoadState(Stream source);
}
