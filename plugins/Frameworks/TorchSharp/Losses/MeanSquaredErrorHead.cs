using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Training;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Losses;

/// <summary>Mean squared error over every output; MAE and MSE per example are the mean over its outputs.</summary>
internal sealed class MeanSquaredErrorHead : LossHead
{
    /// <inheritdoc/>
    public override Tensor Targets(ITensorBuffer targets, int count, int outputs)
    {
        bool fits = targets.Shape.Rank switch
        {
            1 => outputs == 1 && targets.Shape[0] == count,
            2 => targets.Shape[0] == count && targets.Shape[1] == outputs,
            _ => false,
        };
        if (!fits)
        {
            throw ShapeMismatch(targets, outputs == 1
                ? $"[{count}] or [{count}, 1] for one regression output (set model.outputs when there are more targets per example)"
                : $"[{count}, {outputs}] for model.outputs = {outputs}");
        }
        return BatchTensors.Float(targets, [count, outputs]);
    }

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor targets) => nn.functional.mse_loss(output, targets);

    /// <inheritdoc/>
    public override StepResult Result(double loss, int count, Tensor output, Tensor targets)
    {
        Tensor error = output.sub(targets);
        double absolute = error.abs().mean([1]).sum().item<float>();
        double squared = error.square().mean([1]).sum().item<float>();
        return new StepResult(loss, count, AbsoluteError: absolute, SquaredError: squared);
    }

    /// <inheritdoc/>
    public override Tensor Predictions(Tensor output) => output;
}
