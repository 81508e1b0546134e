using System.Diagnostics;
using Conduit.Loggers.Console;
using Conduit.Messages;

namespace Conduit.Plugins.Tests;

public sealed class ProgressTrackerTests
{
    [Fact]
    public void Plain_with_a_known_total_emits_once_per_tenth_and_not_at_the_end()
    {
        var clock = new FakeClock();
        var tracker = new ProgressTracker(live: false, clock.Now, TimeSpan.Zero);
        tracker.StartEpoch(0, 1000);

        List<ProgressUpdate> updates = Feed(tracker, clock, epoch: 0, batches: 1000, total: 1000, TimeSpan.FromMilliseconds(1));

        Assert.Equal([100L, 200, 300, 400, 500, 600, 700, 800, 900], updates.Select(u => u.Done));
        ProgressUpdate half = updates[4];
        Assert.Equal(1000, half.RatePerSecond, 6);
        Assert.Equal(TimeSpan.FromSeconds(0.5), half.Eta);
    }

    [Fact]
    public void Plain_prints_no_progress_line_for_epochs_shorter_than_the_interval()
    {
        var clock = new FakeClock();
        var tracker = new ProgressTracker(live: false, clock.Now);
        tracker.StartEpoch(0, 40);

        Assert.Empty(Feed(tracker, clock, epoch: 0, batches: 40, total: 40, TimeSpan.FromMilliseconds(10)));

        tracker.StartEpoch(1, 40);
        List<ProgressUpdate> slow = Feed(tracker, clock, epoch: 1, batches: 40, total: 40, TimeSpan.FromSeconds(1));
        Assert.Equal([4L, 8, 12, 16, 20, 24, 28, 32, 36], slow.Select(u => u.Done));
    }

    [Fact]
    public void Plain_with_an_unknown_total_emits_by_time()
    {
        var clock = new FakeClock();
        var tracker = new ProgressTracker(live: false, clock.Now, TimeSpan.Zero);
        tracker.StartEpoch(0, null);

        List<ProgressUpdate> updates = Feed(tracker, clock, epoch: 0, batches: 100, total: null, TimeSpan.FromSeconds(1));

        Assert.Equal([30L, 60, 90], updates.Select(u => u.Done));
        Assert.All(updates, u => Assert.Null(u.Eta));
    }

    [Fact]
    public void Live_redraws_at_most_ten_times_a_second_plus_the_first_and_last_batch()
    {
        var clock = new FakeClock();
        var tracker = new ProgressTracker(live: true, clock.Now);
        tracker.StartEpoch(0, 1000);

        List<ProgressUpdate> updates = Feed(tracker, clock, epoch: 0, batches: 1000, total: 1000, TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, updates[0].Done);
        Assert.Equal(1000, updates[^1].Done);
        Assert.InRange(updates.Count, 10, 12);
    }

    [Fact]
    public void A_new_epoch_without_epoch_started_resets_the_counts()
    {
        var clock = new FakeClock();
        var tracker = new ProgressTracker(live: false, clock.Now, TimeSpan.Zero);

        Feed(tracker, clock, epoch: 0, batches: 10, total: 10, TimeSpan.FromMilliseconds(1));
        List<ProgressUpdate> second = Feed(tracker, clock, epoch: 1, batches: 10, total: 10, TimeSpan.FromMilliseconds(1), loss: 4);

        Assert.Equal(9, second.Count);
        Assert.All(second, u => Assert.Equal(1, u.Epoch));
        Assert.All(second, u => Assert.Equal(4, u.MeanLoss));
    }

    private static List<ProgressUpdate> Feed(ProgressTracker tracker, FakeClock clock, int epoch, int batches, long? total, TimeSpan step, double loss = 1)
    {
        var updates = new List<ProgressUpdate>();
        for (int b = 0; b < batches; b++)
        {
            clock.Advance(step);
            if (tracker.OnBatch(new BatchEnded { RunId = "run", Epoch = epoch, BatchIndex = b, GlobalStep = b + 1, Loss = loss, BatchSize = 32, BatchesInEpoch = total }) is ProgressUpdate update)
            {
                updates.Add(update);
            }
        }
        return updates;
    }

    private sealed class FakeClock
    {
        private long _ticks = 1_000_000;

        public long Now() => _ticks;

        public void Advance(TimeSpan by) => _ticks += (long)(by.TotalSeconds * Stopwatch.Frequency);
    }
}
