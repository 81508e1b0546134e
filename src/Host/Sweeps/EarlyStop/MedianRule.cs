namespace Conduit.Host.Sweeps.EarlyStop;

/// <summary>
/// The median stopping rule (Golovin et al. 2017, Google Vizier): from the grace period on, a trial stops when its best
/// loss so far is worse than the median, over the other trials that got at least as far, of their mean loss up to
/// the same epoch.
/// </summary>
public sealed class MedianRule : IEarlyStopRule
{
    private readonly int _gracePeriod;
    private readonly int _minSamples;
    // Each trial's loss by epoch; a repeated report of an epoch (a resumed trial) replaces the first.
    private readonly Dictionary<int, SortedDictionary<int, double>> _trials = [];

    /// <summary>A rule that judges from epoch <paramref name="gracePeriod"/> on, against at least <paramref name="minSamples"/> other trials.</summary>
    /// <param name="gracePeriod">The first epoch at which a trial may stop (at least 1).</param>
    /// <param name="minSamples">How many other trials must have reached the epoch before a trial is judged there (at least 1).</param>
    public MedianRule(int gracePeriod, int minSamples = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minSamples, 1);
        _gracePeriod = gracePeriod;
        _minSamples = minSamples;
    }

    /// <inheritdoc/>
    /// <remarks>A loss that is not a number counts as infinite.</remarks>
    public PruneDecision? Report(int trial, int epoch, double loss)
    {
        if (!_trials.TryGetValue(trial, out var losses))
        {
            _trials[trial] = losses = [];
        }
        losses[epoch] = double.IsNaN(loss) ? double.PositiveInfinity : loss;
        if (epoch < _gracePeriod)
        {
            return null;
        }
        var means = new List<double>();
        foreach (var (other, history) in _trials)
        {
            if (other != trial && history.Keys.Max() >= epoch && RunningMean(history, epoch) is double mean)
            {
                means.Add(mean);
            }
        }
        if (means.Count < _minSamples)
        {
            return null;
        }
        double median = Quantile.Linear(means, 0.5);
        double best = losses.Where(e => e.Key <= epoch).Min(e => e.Value);
        return best > median ? new PruneDecision(epoch, median, means.Count) : null;
    }

    /// <summary>The mean of the losses up to <paramref name="epoch"/>; null for a trial first heard of later (resumed with its early reports lost).</summary>
    private static double? RunningMean(SortedDictionary<int, double> losses, int epoch)
    {
        double sum = 0;
        int count = 0;
        foreach (var (at, loss) in losses)
        {
            if (at > epoch)
            {
                break;
            }
            sum += loss;
            count++;
        }
        return count > 0 ? sum / count : null;
    }
}
