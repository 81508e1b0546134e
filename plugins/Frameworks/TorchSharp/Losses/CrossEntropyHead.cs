using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Training;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Losses;

/// <summary>Softmax cross-entropy on one logit per class; accuracy by arg-max.</summary>
internal sealed class CrossEntropyHead : LossHead
{
    /// <inheritdoc/>
    public override Tensor Targets(ITensorBuffer targets, int count, int outputs)
    {
        if (targets.Shape.ElementCount != count)
        {
            throw ShapeMismatch(targets, $"one class index per example, [{count}]");
        }
        return BatchTensors.Long(targets, [count]);
    }

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor targets) => nn.functional.cross_entropy(output, targets);

    /// <inheritdoc/>
    public override StepResult Result(double loss, int count, Tensor output, Tensor targets) =>
        new(loss, count, Correct: output.argmax(1).eq(targets).sum().item<long>());

    /// <inheritdoc/>
    public override Tensor Predictions(Tensor output) => output.softmax(1);
}
