using Conduit.Data;
using Conduit.Configuration;

namespace Conduit.Frameworks;

/// <summary>What a framework needs to build a model, its loss, optimizer and scheduler.</summary>
public sealed record TrainingSessionOptions
{
    /// <summary>The job's <c>model</c> section (type, sizes, activation, ...): read every key the framework uses from it.</summary>
    public required SettingsReader Model { get; init; }

    /// <summary>The job's <c>optimizer</c> section (algorithm, learning rate, weight decay, scheduler).</summary>
    public required SettingsReader Optimizer { get; init; }

    /// <summary>The training data's schema: input shape, target kind, classes.</summary>
    public required DataSchema Schema { get; init; }

    /// <summary>The device: <c>cpu</c>, <c>cuda:0</c>, ...</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The seed for weight initialisation and dropout.</summary>
    public int Seed { get; init; }

    /// <summary>Intra-op threads the framework may use; 0 for its default.</summary>
    public int Threads { get; init; }

    /// <summary>Whether to use deterministic algorithms only (slower, bit-for-bit repeatable).</summary>
    public bool Deterministic { get; init; }

    /// <summary>Batches whose gradients are accumulated before each optimizer step; at least 1.</summary>
    public int AccumulateGradBatches { get; init; } = 1;

    /// <summary>The gradient clipping threshold; 0 for none.</summary>
    public double GradientClipValue { get; init; }

    /// <summary><c>norm</c> (clip the total norm) or <c>value</c> (clip each element).</summary>
    public string GradientClipAlgorithm { get; init; } = "norm";

    /// <summary>Optimizer steps per epoch, for per-step schedules such as one-cycle.</summary>
    public long StepsPerEpoch { get; init; }

    /// <summary>The epoch limit, for schedules that span the run (cosine, one-cycle); -1 when unknown.</summary>
    public int MaxEpochs { get; init; } = -1;

    /// <summary>Examples per batch; 0 when unknown.</summary>
    public int BatchSize { get; init; }

    /// <summary>
    /// The most memory the job may take (the host's <c>--max-job-memory-mb</c>); 0 for no limit. A framework that can
    /// estimate its model's memory refuses a bigger model before allocating anything, naming the estimate.
    /// </summary>
    public long MaxMemoryBytes { get; init; }
}
