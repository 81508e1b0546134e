using static TorchSharp.torch.optim;

namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary>
/// <c>cosine</c> (PyTorch's CosineAnnealingLR in closed form): after epoch e the rate is
/// <c>eta_min + (base − eta_min) × (1 + cos(π (e + 1) / t_max)) / 2</c>; like PyTorch's, it rises again after t_max.
/// </summary>
internal sealed class CosineSchedule(IReadOnlyList<ILearningRateController> groups, int tMax, double etaMin) : LearningRateSchedule(groups)
{
    /// <inheritdoc/>
    public override string Name => "cosine";

    /// <inheritdoc/>
    public override void EpochEnded(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        double progress = (epoch + 1) / (double)tMax;
        SetRates(rate => etaMin + ((rate - etaMin) * (1 + Math.Cos(Math.PI * progress)) / 2));
    }
}
