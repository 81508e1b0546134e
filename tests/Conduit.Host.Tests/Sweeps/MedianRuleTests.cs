using Conduit.Host.Sweeps.EarlyStop;

namespace Conduit.Host.Tests.Sweeps;

public sealed class MedianRuleTests
{
    /// <summary>Three trials that ran three epochs: running means at epoch 2 are 0.9, 1.8 and 2.5 (median 1.8).</summary>
    private static MedianRule WithThreeTrials(int gracePeriod = 2, int minSamples = 3)
    {
        var rule = new MedianRule(gracePeriod, minSamples);
        double[][] losses = [[1.0, 0.8, 0.6], [2.0, 1.6, 1.2], [3.0, 2.0, 1.0]];
        for (int trial = 0; trial < losses.Length; trial++)
        {
            for (int epoch = 1; epoch <= 3; epoch++)
            {
                rule.Report(trial, epoch, losses[trial][epoch - 1]);
            }
        }
        return rule;
    }

    [Fact]
    public void Does_not_judge_before_the_grace_period()
    {
        var rule = WithThreeTrials(gracePeriod: 2);
        Assert.Null(rule.Report(3, 1, 100.0));
    }

    [Fact]
    public void Prunes_a_trial_worse_than_the_median_of_the_others_running_means()
    {
        var rule = WithThreeTrials();
        // Means up to epoch 2 only (not epoch 3's, which would give a median of 1.6).
        Assert.Equal(new PruneDecision(2, 1.8, 3), rule.Report(3, 2, 4.0));
    }

    [Fact]
    public void Keeps_a_trial_whose_best_loss_beats_the_median()
    {
        var rule = WithThreeTrials();
        Assert.Null(rule.Report(4, 1, 0.5));
        // Its latest loss (3.0) is worse than the median (1.8), but its best (0.5) is not.
        Assert.Null(rule.Report(4, 2, 3.0));
        Assert.Null(rule.Report(5, 2, 1.7));
    }

    [Fact]
    public void Needs_enough_other_trials_at_the_epoch()
    {
        var rule = new MedianRule(1, minSamples: 3);
        Assert.Null(rule.Report(0, 1, 1.0));
        Assert.Null(rule.Report(1, 1, 1.0));
        // Two others only.
        Assert.Null(rule.Report(2, 1, 9.0));
        // Three others, but none reached epoch 2.
        Assert.Null(rule.Report(3, 2, 9.0));
        Assert.Equal(new PruneDecision(1, 1.0, 3), rule.Report(4, 1, 9.0));
    }

    [Fact]
    public void A_repeated_report_replaces_the_first()
    {
        var rule = new MedianRule(1, minSamples: 3);
        rule.Report(0, 1, 10.0);
        rule.Report(1, 1, 2.0);
        rule.Report(2, 1, 3.0);
        // Trial 0 resumes and reports epoch 1 again: its mean is 1.0, not (10.0 + 1.0) / 2.
        rule.Report(0, 1, 1.0);
        Assert.Equal(new PruneDecision(1, 2.0, 3), rule.Report(3, 1, 2.5));
    }
}
