using System.Globalization;
using static TorchSharp.torch.optim;

namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary>
/// <c>reduce_on_plateau</c> (PyTorch's ReduceLROnPlateau, relative threshold): when the monitored metric has not
/// improved on its best by more than <c>threshold</c> (relative) for more than <c>patience</c> epochs, the rates are
/// multiplied by <c>factor</c>, never below <c>min_lr</c>, and a cooldown of <c>cooldown</c> epochs follows.
/// </summary>
internal sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
    private const double MinimumChange = 1e-8;
    private readonly string _monitor;
    private readonly bool _maximize;
    private readonly double _factor;
    private readonly int _patience;
    private readonly double _threshold;
    private readonly int _cooldown;
    private readonly double _minRate;
    private double _best;
    private int _badEpochs;
    private int _cooldownLeft;

    /// <summary>Watches <paramref name="monitor"/> in the metrics of each epoch.</summary>
    public ReduceOnPlateauSchedule(IReadOnlyList<ILearningRateController> groups, string monitor, bool maximize, double factor, int patience, double threshold, int cooldown, double minRate)
        : base(groups)
    {
        _monitor = monitor;
        _maximize = maximize;
        _factor = factor;
        _patience = patience;
        _threshold = threshold;
        _cooldown = cooldown;
        _minRate = minRate;
        _best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <inheritdoc/>
    public override string Name => "reduce_on_plateau";

    /// <inheritdoc/>
    public override void EpochEnded(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        if (!metrics.TryGetValue(_monitor, out double current))
        {
            string present = metrics.Count == 0 ? "none" : string.Join(", ", metrics.Keys.Order(StringComparer.Ordinal));
            int number = epoch + 1;
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"optimizer.scheduler.monitor: the metric '{_monitor}' was not reported at the end of epoch {number}; the metrics were: {present}. Monitor one of them, or add a validation set for val_ metrics."));
        }
        if (IsImprovement(current))
        {
            _best = current;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badEpochs = 0;
        }
        if (_badEpochs > _patience)
        {
            UpdateRates(rate =>
            {
                double reduced = Math.Max(rate * _factor, _minRate);
                return rate - reduced > MinimumChange ? reduced : rate;
            });
            _cooldownLeft = _cooldown;
            _badEpochs = 0;
        }
    }

    /// <inheritdoc/>
    public override void Save(BinaryWriter writer)
    {
        writer.Write(_best);
        writer.Write(_badEpochs);
        writer.Write(_cooldownLeft);
    }

    /// <inheritdoc/>
    public override void Load(BinaryReader reader)
    {
        _best = reader.ReadDouble();
        _badEpochs = reader.ReadInt32();
        _cooldownLeft = reader.ReadInt32();
    }

    private bool IsImprovement(double value) => _maximize ? value > _best * (1 + _threshold) : value < _best * (1 - _threshold);
}
