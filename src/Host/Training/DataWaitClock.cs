using System.Diagnostics;
using System.Runtime.CompilerServices;
using Conduit.Data;

namespace Conduit.Host.Training;

/// <summary>
/// Measures how long the training loop waits for its next batch, against the loop's whole time: the share that a
/// faster data pipeline could win back (near 0 when data keeps up with the model).
/// </summary>
internal sealed class DataWaitClock
{
    private long _waiting;
    private long _total;

    /// <summary>Time spent waiting for batches.</summary>
    public TimeSpan Waiting => Stopwatch.GetElapsedTime(0, _waiting);

    /// <summary>Time spent in the timed loops, waiting included.</summary>
    public TimeSpan Total => Stopwatch.GetElapsedTime(0, _total);

    /// <summary><paramref name="batches"/>, timing each wait and the whole loop that consumes them.</summary>
    public async IAsyncEnumerable<DataBatch> Time(IAsyncEnumerable<DataBatch> batches, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long started = Stopwatch.GetTimestamp();
        IAsyncEnumerator<DataBatch> enumerator = batches.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                long asked = Stopwatch.GetTimestamp();
                bool more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                _waiting += Stopwatch.GetTimestamp() - asked;
                if (!more)
                {
                    yield break;
                }
                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            _total += Stopwatch.GetTimestamp() - started;
        }
    }
}
