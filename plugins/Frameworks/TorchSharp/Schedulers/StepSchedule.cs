using static TorchSharp.torch.optim;

namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary>
/// <c>step</c> (PyTorch's StepLR): after epoch e the rate is <c>base × gamma^floor((e + 1) / step_size)</c>. The closed
/// form depends on the epoch alone, so the schedule has no state of its own to save.
/// </summary>
internal sealed class StepSchedule(IReadOnlyList<ILearningRateController> groups, int stepSize, double gamma) : LearningRateSchedule(groups)
{
    /// <inheritdoc/>
    public override string Name => "step";

    /// <inheritdoc/>
    public override void EpochEnded(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        int decays = (epoch + 1) / stepSize;
        SetRates(rate => rate * Math.Pow(gamma, decays));
    }
}
