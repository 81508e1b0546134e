using System.Diagnostics;
using Conduit.Messages;

namespace Conduit.Loggers.Console;

/// <summary>A progress snapshot taken on the training thread, printed later.</summary>
/// <param name="Epoch">The epoch, counted from 0.</param>
/// <param name="Done">Batches done in the epoch.</param>
/// <param name="Total">Batches in the epoch, when known.</param>
/// <param name="RatePerSecond">Batches per second since the epoch started.</param>
/// <param name="Eta">Time left in the epoch, when the total is known.</param>
/// <param name="MeanLoss">The mean training loss of the epoch so far.</param>
internal sealed record ProgressUpdate(int Epoch, long Done, long? Total, double RatePerSecond, TimeSpan? Eta, double MeanLoss);

/// <summary>
/// Follows <see cref="BatchEnded"/> messages on the training thread and decides, in a few arithmetic operations, when a
/// progress line is worth printing: live, at most every <see cref="LiveInterval"/>; plain, at most once per tenth of an
/// epoch and no more often than <see cref="DefaultPlainInterval"/> (configurable), so a log of short epochs holds only epoch lines
/// (or every <see cref="PlainIntervalWhenTotalUnknown"/> when the epoch's length is unknown). Not thread-safe.
/// </summary>
internal sealed class ProgressTracker(bool live, Func<long>? clock = null, TimeSpan? plainMinimumInterval = null)
{
    /// <summary>The shortest time between two redraws of the live line.</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The default shortest time between two plain progress lines (and from the epoch's start to the first).</summary>
    public static readonly TimeSpan DefaultPlainInterval = TimeSpan.FromSeconds(2);

    /// <summary>The shortest time between two plain progress lines when the number of batches is unknown.</summary>
    public static readonly TimeSpan PlainIntervalWhenTotalUnknown = TimeSpan.FromSeconds(30);

    private readonly Func<long> _clock = clock ?? Stopwatch.GetTimestamp;
    private readonly long _liveTicks = (long)(LiveInterval.TotalSeconds * Stopwatch.Frequency);
    private readonly long _plainTicks = (long)(PlainIntervalWhenTotalUnknown.TotalSeconds * Stopwatch.Frequency);
    private readonly long _plainMinimumTicks = (long)((plainMinimumInterval ?? DefaultPlainInterval).TotalSeconds * Stopwatch.Frequency);
    private int _epoch = -1;
    private long? _total;
    private long _epochStart;
    private long _lastEmit;
    private long _seen;
    private double _lossSum;
    private int _lastDecile;

    /// <summary>An epoch starts: the rate and the mean loss start over.</summary>
    public void StartEpoch(int epoch, long? batchesInEpoch) => Reset(epoch, batchesInEpoch, _clock());

    /// <summary>Records a batch; returns a snapshot when one should be printed, otherwise <see langword="null"/>.</summary>
    public ProgressUpdate? OnBatch(in BatchEnded batch)
    {
        long now = _clock();
        if (batch.Epoch != _epoch)
        {
            // No EpochStarted was seen for this epoch: start counting here.
            Reset(batch.Epoch, batch.BatchesInEpoch, now);
        }
        if (batch.BatchesInEpoch is long known)
        {
            _total = known;
        }
        _seen++;
        _lossSum += batch.Loss;
        long done = batch.BatchIndex + 1;

        bool emit;
        if (live)
        {
            emit = _seen == 1 || done == _total || now - _lastEmit >= _liveTicks;
        }
        else if (_total is long total && total > 0)
        {
            int decile = (int)Math.Min(10, done * 10 / total);
            // The epoch's last batch is followed by its EpochEnded line: no progress line for 100%.
            emit = decile > _lastDecile && done < total && now - _lastEmit >= _plainMinimumTicks;
            if (emit)
            {
                _lastDecile = decile;
            }
        }
        else
        {
            emit = now - _lastEmit >= _plainTicks;
        }
        if (!emit)
        {
            return null;
        }

        _lastEmit = now;
        double elapsed = (now - _epochStart) / (double)Stopwatch.Frequency;
        double rate = elapsed > 0 ? _seen / elapsed : 0;
        TimeSpan? eta = _total is long t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - done) / rate) : null;
        return new ProgressUpdate(batch.Epoch, done, _total, rate, eta, _lossSum / _seen);
    }

    private void Reset(int epoch, long? total, long now)
    {
        _epoch = epoch;
        _total = total;
        _epochStart = now;
        _lastEmit = now;
        _seen = 0;
        _lossSum = 0;
        _lastDecile = 0;
    }
}
