using Conduit.Host.Sweeps.EarlyStop;

namespace Conduit.Host.Tests.Sweeps;

public sealed class AshaRuleTests
{
    [Fact]
    public void Rungs_sit_at_grace_times_powers_of_the_factor_below_max_t()
    {
        Assert.Equal([1, 3], new AshaRule(1, 3, 9).Rungs);
        Assert.Equal([1, 2, 4, 8], new AshaRule(1, 2, 10).Rungs);
        Assert.Equal([2, 5], new AshaRule(2, 2.5, 12).Rungs);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AshaRule(1, 1, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AshaRule(0, 3, 9));
    }

    [Fact]
    public void Judges_each_trial_at_a_rung_against_the_losses_recorded_there_before_it()
    {
        var asha = new AshaRule(1, 3, 9);
        // The first at a rung has nothing to be compared with.
        Assert.Null(asha.Report(0, 1, 1.0));
        // Worse than the best third of [1.0]: the cutoff is 1.0 itself.
        Assert.Equal(new PruneDecision(1, 1.0, 1), asha.Report(1, 1, 2.0));
        // Better: goes on (cutoff 1.0 + (2.0 - 1.0) / 3 between the recorded 1.0 and 2.0).
        Assert.Null(asha.Report(2, 1, 0.5));
        // Recorded [0.5, 1.0, 2.0]: the 1/3 quantile interpolates 2/3 of the way from 0.5 to 1.0.
        var pruned = asha.Report(3, 1, 0.9);
        Assert.NotNull(pruned);
        Assert.Equal(1, pruned.Epoch);
        Assert.Equal(0.5 + (0.5 * 2 / 3), pruned.Cutoff, 12);
        Assert.Equal(3, pruned.Compared);
        Assert.Null(asha.Report(4, 1, 0.8));
    }

    [Fact]
    public void Only_rung_epochs_are_judged()
    {
        var asha = new AshaRule(1, 3, 9);
        Assert.Null(asha.Report(0, 2, 1.0));
        Assert.Null(asha.Report(1, 2, 5.0));
        // Epoch 9 is max_t, not a rung.
        Assert.Null(asha.Report(0, 9, 1.0));
        Assert.Null(asha.Report(1, 9, 5.0));
        // Epoch 3 is: its own record, apart from epoch 1's.
        Assert.Null(asha.Report(0, 1, 9.0));
        Assert.Null(asha.Report(0, 3, 1.0));
        Assert.Equal(new PruneDecision(3, 1.0, 1), asha.Report(1, 3, 5.0));
    }

    [Fact]
    public void A_resumed_trial_is_judged_once_at_a_rung_and_recorded_once()
    {
        var asha = new AshaRule(1, 3, 9);
        Assert.Null(asha.Report(0, 1, 1.0));
        Assert.NotNull(asha.Report(1, 1, 3.0));
        // Trial 1 resumes and reports epoch 1 again, better: neither judged nor recorded a second time.
        Assert.Null(asha.Report(1, 1, 0.1));
        Assert.Null(asha.Report(0, 1, 50.0));
        // Recorded [1.0, 3.0] only: compared with 2, cutoff 1.0 + 2.0 / 3.
        var decision = asha.Report(2, 1, 2.0);
        Assert.NotNull(decision);
        Assert.Equal(2, decision.Compared);
        Assert.Equal(1.0 + (2.0 / 3), decision.Cutoff, 12);
    }
}
