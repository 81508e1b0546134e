using Conduit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Losses;

/// <summary>
/// What a loss fixes about a model's outputs: how targets are read, the loss itself, the batch metrics, and what
/// <c>Predict</c> returns.
/// </summary>
internal abstract class LossHead
{
    /// <summary>The head for <paramref name="kind"/>.</summary>
    public static LossHead Create(LossKind kind) => kind switch
    {
        LossKind.CrossEntropy => new CrossEntropyHead(),
        LossKind.BinaryCrossEntropy => new BinaryCrossEntropyHead(),
        _ => new MeanSquaredErrorHead(),
    };

    /// <summary>The batch's targets as the loss takes them.</summary>
    /// <param name="targets">The batch's targets.</param>
    /// <param name="count">The examples in the batch.</param>
    /// <param name="outputs">The model's output width.</param>
    public abstract Tensor Targets(ITensorBuffer targets, int count, int outputs);

    /// <summary>The mean loss of the batch.</summary>
    public abstract Tensor Loss(Tensor output, Tensor targets);

    /// <summary>The batch's result: <paramref name="loss"/> and the metrics computed from the outputs (call without gradients).</summary>
    public abstract StepResult Result(double loss, int count, Tensor output, Tensor targets);

    /// <summary>What <c>Predict</c> returns for raw outputs: probabilities, or values.</summary>
    public abstract Tensor Predictions(Tensor output);

    /// <summary>The error for targets whose shape does not fit.</summary>
    protected static ArgumentException ShapeMismatch(ITensorBuffer targets, string expected) =>
        new($"The batch's targets have shape {targets.Shape}; expected {expected}.", nameof(targets));
}
