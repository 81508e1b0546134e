namespace Conduit.Host.Sweeps.EarlyStop;

/// <summary>
/// Asynchronous successive halving (Li et al. 2018; Ray Tune's AsyncHyperBandScheduler with one bracket). Rungs sit at
/// epochs gracePeriod × reductionFactor^k below maxT; a trial reaching a rung goes on only if its loss is among the best
/// 1/reductionFactor of the losses other trials recorded there before it. Trials are never held back to wait for others.
/// </summary>
public sealed class AshaRule : IEarlyStopRule
{
    private readonly double _reductionFactor;
    // Each rung's recorded losses, in the order they arrived.
    private readonly SortedDictionary<int, List<double>> _rungs = [];
    // The (rung, trial) pairs already judged, so that a resumed trial is not judged, or counted, twice.
    private readonly HashSet<(int Rung, int Trial)> _judged = [];

    /// <summary>A rule with rungs at <paramref name="gracePeriod"/> × <paramref name="reductionFactor"/>^k, each below <paramref name="maxT"/>.</summary>
    /// <param name="gracePeriod">The first rung's epoch: no trial stops before it (at least 1).</param>
    /// <param name="reductionFactor">How much rarer each rung's survivors are than the last's (above 1).</param>
    /// <param name="maxT">The epoch trials end at: no rung at or past it.</param>
    public AshaRule(int gracePeriod, double reductionFactor, int maxT)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, 1);
        if (!(reductionFactor > 1) || double.IsInfinity(reductionFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(reductionFactor), reductionFactor, "The reduction factor must be a finite number above 1.");
        }
        _reductionFactor = reductionFactor;
        // A fractional rung (reductionFactor 2.5) is judged at the first whole epoch that reaches it; the small
        // tolerance keeps a product such as 3 × 3 that lands a hair above 9 from becoming 10.
        for (double at = gracePeriod; at < maxT; at *= reductionFactor)
        {
            _rungs.TryAdd((int)Math.Ceiling(at - 1e-9), []);
        }
    }

    /// <summary>The epochs at which trials are judged, in order.</summary>
    public IReadOnlyCollection<int> Rungs => _rungs.Keys;

    /// <inheritdoc/>
    /// <remarks>
    /// Only reports at a rung's epoch are judged; a trial's first report at a rung is recorded there whatever the
    /// decision, and a second (a resumed trial) is neither judged nor recorded. A loss that is not a number counts as infinite.
    /// </remarks>
    public PruneDecision? Report(int trial, int epoch, double loss)
    {
        if (!_rungs.TryGetValue(epoch, out var recorded) || !_judged.Add((epoch, trial)))
        {
            return null;
        }
        double value = double.IsNaN(loss) ? double.PositiveInfinity : loss;
        PruneDecision? decision = null;
        if (recorded.Count > 0)
        {
            // Lower is better: the best 1/reductionFactor of the earlier losses lie at or below this quantile.
            double cutoff = Quantile.Linear(recorded, 1.0 / _reductionFactor);
            if (value > cutoff)
            {
                decision = new PruneDecision(epoch, cutoff, recorded.Count);
            }
        }
        recorded.Add(value);
        return decision;
    }
}
