using TorchSharp;
using TorchSharp.Modules;

namespace Conduit.Frameworks.TorchSharp.Optimizers;

/// <summary>Creates the TorchSharp optimizer of an <see cref="OptimizerSpec"/>.</summary>
internal static class OptimizerFactory
{
    /// <summary>The optimizer over <paramref name="parameters"/>, in one parameter group.</summary>
    public static torch.optim.Optimizer Create(OptimizerSpec spec, IEnumerable<Parameter> parameters) => spec.Kind switch
    {
        OptimizerKind.Sgd => torch.optim.SGD(parameters, spec.LearningRate, spec.Momentum, weight_decay: spec.WeightDecay, nesterov: spec.Nesterov),
        OptimizerKind.AdamW => torch.optim.AdamW(parameters, spec.LearningRate, spec.Beta1, spec.Beta2, spec.Epsilon, spec.WeightDecay),
        _ => torch.optim.Adam(parameters, spec.LearningRate, spec.Beta1, spec.Beta2, spec.Epsilon, spec.WeightDecay),
    };
}
