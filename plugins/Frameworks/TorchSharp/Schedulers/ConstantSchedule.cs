using static TorchSharp.torch.optim;

namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary><c>none</c>: the learning rate stays as the optimizer set it.</summary>
internal sealed class ConstantSchedule(IReadOnlyList<ILearningRateController> groups) : LearningRateSchedule(groups)
{
    /// <inheritdoc/>
    public override string Name => "none";
}
