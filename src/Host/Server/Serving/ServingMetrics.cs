using System.Diagnostics;

namespace Conduit.Host.Server.Serving;

/// <summary>Request and batch figures of one served model: counts, batch sizes, and latency percentiles over the latest requests.</summary>
public sealed class ServingMetrics
{
    private const int Window = 8192;
    private readonly long[] _latencyTicks = new long[Window];
    private readonly long[] _batchSizes;
    private readonly Lock _gate = new();
    private long _requests;
    private long _batches;
    private long _failures;
    private int _next;
    private int _filled;

    /// <summary>Creates empty figures for batches of up to <paramref name="maxBatchSize"/>.</summary>
    public ServingMetrics(int maxBatchSize) => _batchSizes = new long[maxBatchSize + 1];

    internal void Batch(int size)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Increment(ref _batchSizes[size]);
    }

    internal void Request(long startTimestamp, bool failed)
    {
        long elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        Interlocked.Increment(ref _requests);
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }
        lock (_gate)
        {
            _latencyTicks[_next] = elapsed;
            _next = (_next + 1) % Window;
            _filled = Math.Min(_filled + 1, Window);
        }
    }

    /// <summary>A snapshot: totals, mean batch size, the batch-size histogram and p50/p99 latency in milliseconds.</summary>
    public ServingSnapshot Snapshot()
    {
        long[] latencies;
        lock (_gate)
        {
            latencies = _latencyTicks.AsSpan(0, _filled).ToArray();
        }
        Array.Sort(latencies);
        long batches = Interlocked.Read(ref _batches);
        long examples = 0;
        var histogram = new Dictionary<int, long>();
        for (int size = 1; size < _batchSizes.Length; size++)
        {
            long count = Interlocked.Read(ref _batchSizes[size]);
            if (count > 0)
            {
                histogram[size] = count;
                examples += count * size;
            }
        }
        return new ServingSnapshot(Interlocked.Read(ref _requests), Interlocked.Read(ref _failures), batches,
            batches == 0 ? 0 : (double)examples / batches, histogram, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static double Percentile(long[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Figures of a served model at one moment.</summary>
/// <param name="Requests">Requests answered (failures included).</param>
/// <param name="Failures">Requests the model failed on.</param>
/// <param name="Batches">Model calls made.</param>
/// <param name="MeanBatchSize">Requests per model call.</param>
/// <param name="BatchSizes">How many calls had each batch size.</param>
/// <param name="P50Ms">Median request latency (queueing included), over the latest requests.</param>
/// <param name="P99Ms">99th percentile request latency.</param>
public sealed record ServingSnapshot(long Requests, long Failures, long Batches, double MeanBatchSize, IReadOnlyDictionary<int, long> BatchSizes, double P50Ms, double P99Ms);
