using static TorchSharp.torch.optim;

namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary>The common part of the schedules: the parameter groups and their learning rates when the schedule began.</summary>
internal abstract class LearningRateSchedule : ILearningRateSchedule
{
    private readonly IReadOnlyList<ILearningRateController> _groups;
    private readonly double[] _baseRates;

    /// <summary>Schedules <paramref name="groups"/>, whose current rates become the base rates.</summary>
    protected LearningRateSchedule(IReadOnlyList<ILearningRateController> groups)
    {
        _groups = groups;
        _baseRates = [.. groups.Select(g => g.LearningRate)];
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public virtual void OptimizerStepped()
    {
    }

    /// <inheritdoc/>
    public virtual void EpochEnded(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
    }

    /// <inheritdoc/>
    public virtual void Save(BinaryWriter writer)
    {
    }

    /// <inheritdoc/>
    public virtual void Load(BinaryReader reader)
    {
    }

    /// <summary>Sets each group's rate to <paramref name="rate"/> of its base rate.</summary>
    protected void SetRates(Func<double, double> rate)
    {
        for (int i = 0; i < _groups.Count; i++)
        {
            _groups[i].LearningRate = rate(_baseRates[i]);
        }
    }

    /// <summary>Sets each group's rate to <paramref name="rate"/> of its current rate.</summary>
    protected void UpdateRates(Func<double, double> rate)
    {
        foreach (ILearningRateController group in _groups)
        {
            group.LearningRate = rate(group.LearningRate);
        }
    }
}
