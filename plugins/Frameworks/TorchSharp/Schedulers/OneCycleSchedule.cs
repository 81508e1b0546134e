using static TorchSharp.torch.optim;

namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary>
/// <c>one_cycle</c> (PyTorch's OneCycleLR, two phases, cosine annealing; momentum is not cycled): from
/// <c>max_lr / div_factor</c> up to <c>max_lr</c> over the first <c>pct_start</c> of the steps, then down to
/// <c>max_lr / div_factor / final_div_factor</c> at the last step, where it stays. It advances once per optimizer step.
/// </summary>
internal sealed class OneCycleSchedule : LearningRateSchedule
{
    private readonly double _initial;
    private readonly double _max;
    private readonly double _final;
    private readonly double _warmupEnd;
    private readonly long _lastStep;
    private long _step;

    /// <summary>Sets the groups' rates to the cycle's start.</summary>
    public OneCycleSchedule(IReadOnlyList<ILearningRateController> groups, double maxLr, double pctStart, double divFactor, double finalDivFactor, long totalSteps)
        : base(groups)
    {
        _max = maxLr;
        _initial = maxLr / divFactor;
        _final = _initial / finalDivFactor;
        _warmupEnd = (pctStart * totalSteps) - 1;
        _lastStep = totalSteps - 1;
        SetRates(_ => _initial);
    }

    /// <inheritdoc/>
    public override string Name => "one_cycle";

    /// <summary>The rate after <paramref name="step"/> optimizer steps (PyTorch's formula, held at the end).</summary>
    public double RateAt(long step)
    {
        double s = Math.Min(step, _lastStep);
        return s <= _warmupEnd
            ? Anneal(_initial, _max, _warmupEnd > 0 ? s / _warmupEnd : 1)
            : Anneal(_max, _final, (s - _warmupEnd) / (_lastStep - _warmupEnd));
    }

    /// <inheritdoc/>
    public override void OptimizerStepped()
    {
        _step++;
        double rate = RateAt(_step);
        SetRates(_ => rate);
    }

    /// <inheritdoc/>
    public override void Save(BinaryWriter writer) => writer.Write(_step);

    /// <inheritdoc/>
    public override void Load(BinaryReader reader) => _step = reader.ReadInt64();

    private static double Anneal(double start, double end, double fraction) => end + ((start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1));
}
