using Conduit.Data;

namespace Conduit.Frameworks;

/// <summary>A model with its optimizer, loss and scheduler in one framework, driven one batch at a time by the host.</summary>
public interface ITrainingSession : IDisposable
{
    /// <summary>The model's layers and parameter counts.</summary>
    ModelSummary Summary { get; }

    /// <summary>Runs forward and backward on <paramref name="batch"/>; steps the optimizer when <paramref name="step"/> is true.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="step">False while gradients accumulate over several batches.</param>
    /// <returns>The batch's loss and metrics.</returns>
    StepResult TrainStep(DataBatch batch, bool step);

    /// <summary>Runs forward only and returns the batch's loss and metrics.</summary>
    StepResult EvaluateStep(DataBatch batch);

    /// <summary>The current learning rate of each parameter group, keyed by a display name.</summary>
    IReadOnlyDictionary<string, double> LearningRates { get; }

    /// <summary>Writes the weights and optimizer and scheduler state.</summary>
    void SaveState(Stream destination);

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void LoadState(Stream source);
}
