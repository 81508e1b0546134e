using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Losses;

/// <summary>Binary cross-entropy on one logit (the probability of class 1); a positive logit predicts class 1.</summary>
internal sealed class BinaryCrossEntropyHead : LossHead
{
    /// <inheritdoc/>
    public override Tensor Targets(ITensorBuffer targets, int count, int outputs)
    {
        if (targets.Shape.ElementCount != count)
        {
            throw ShapeMismatch(targets, $"one class index (0 or 1) per example, [{count}]");
        }
        return BatchTensors.Long(targets, [count, 1]).to_type(ScalarType.Float32);
    }

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor targets) => nn.functional.binary_cross_entropy_with_logits(output, targets);

    /// <inheritdoc/>
    public override StepResult Result(double loss, int count, Tensor output, Tensor targets) =>
        new(loss, count, Correct: output.gt(0).eq(targets.gt(0.5)).sum().item<long>());

    /// <summary>Both classes' probabilities, <c>[1 - p, p]</c>, so that every classifier's rows sum to 1 in class order.</summary>
    public override Tensor Predictions(Tensor output)
    {
        Tensor p = output.sigmoid();
        return torch.cat([p.neg().add_(1), p], 1);
    }
}
