using System.Runtime.CompilerServices;

namespace Conduit.Host.Server.Events;

/// <summary>
/// A job's events in order. Readers replay from any id and then wait for more, so every subscriber (and one that
/// reconnects) sees every event exactly once, however slow it is: the publisher only appends and never waits.
/// </summary>
internal sealed class JobEventLog
{
    private readonly List<JobEvent> _events = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>Whether the job's last event (<c>end</c>) has been appended.</summary>
    public bool Ended { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    public void Append(string type, string data, bool end = false)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (Ended)
            {
                return;
            }
            _events.Add(new JobEvent(_events.Count + 1, type, data));
            Ended = end;
            signal = _appended;
            _appended = NewSignal();
        }
        signal.TrySetResult();
    }

    /// <summary>The events after <paramref name="afterId"/>, then each new one as it comes, until the end event.</summary>
    public async IAsyncEnumerable<JobEvent> ReadAsync(long afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long next = Math.Max(0, afterId);
        while (true)
        {
            JobEvent[] batch;
            Task wait;
            bool ended;
            lock (_gate)
            {
                batch = next < _events.Count ? _events.GetRange((int)next, _events.Count - (int)next).ToArray() : [];
                wait = _appended.Task;
                ended = Ended;
            }
            foreach (JobEvent e in batch)
            {
                yield return e;
            }
            next += batch.Length;
            if (ended && batch.Length == 0)
            {
                yield break;
            }
            if (batch.Length == 0)
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
