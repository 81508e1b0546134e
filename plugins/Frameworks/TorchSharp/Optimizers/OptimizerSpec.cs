namespace Conduit.Frameworks.TorchSharp.Optimizers;

/// <summary>A validated <c>optimizer</c> section (its scheduler apart).</summary>
/// <param name="Kind">The algorithm.</param>
/// <param name="LearningRate">The initial learning rate.</param>
/// <param name="WeightDecay">The weight decay.</param>
/// <param name="Momentum">SGD's momentum.</param>
/// <param name="Nesterov">Whether SGD uses Nesterov momentum.</param>
/// <param name="Beta1">Adam's first-moment coefficient.</param>
/// <param name="Beta2">Adam's second-moment coefficient.</param>
/// <param name="Epsilon">Adam's denominator term.</param>
internal sealed record OptimizerSpec(
    OptimizerKind Kind,
    double LearningRate,
    double WeightDecay,
    double Momentum,
    bool Nesterov,
    double Beta1,
    double Beta2,
    double Epsilon)
{
    /// <summary>The optimizer's display name, as PyTorch spells its class (<c>lr-Adam</c> in the learning-rate metrics).</summary>
    public string DisplayName => Kind switch
    {
        OptimizerKind.Adam => "Adam",
        OptimizerKind.AdamW => "AdamW",
        _ => "SGD",
    };
}
