using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Conduit.Host.Server;

/// <summary>One event of a job's stream: its sequence number (the SSE id), type and JSON data.</summary>
public sealed record ServerEvent(long Id, string Type, string Data);

/// <summary>
/// A job's events in order, kept for the job's lifetime so that any number of readers (SSE clients) each receive every
/// event, and a reconnecting client continues after the last id it saw. Appending never waits for readers.
/// </summary>
public sealed class JobEventLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<ServerEvent> _events = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _completed;

    /// <summary>Events so far.</summary>
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

    /// <summary>Whether the job's stream has ended (no more events will come).</summary>
    public bool Completed
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>Appends an event whose data is <paramref name="payload"/> as JSON.</summary>
    public void Append(string type, object payload) => AppendJson(type, JsonSerializer.Serialize(payload, Json));

    /// <summary>Appends an event whose data is already JSON (as a worker sent it).</summary>
    public void AppendJson(string type, string data)
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }
            _events.Add(new ServerEvent(_events.Count + 1, type, data));
            wake = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        wake.TrySetResult();
    }

    /// <summary>Appends the last event and ends the stream.</summary>
    public void Complete(string type, object payload)
    {
        Append(type, payload);
        TaskCompletionSource wake;
        lock (_gate)
        {
            _completed = true;
            wake = _changed;
        }
        wake.TrySetResult();
    }

    /// <summary>Every event after <paramref name="afterId"/>, waiting for new ones until the stream ends.</summary>
    public async IAsyncEnumerable<ServerEvent> ReadAsync(long afterId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long next = Math.Max(afterId, 0);
        while (true)
        {
            ServerEvent[] batch;
            Task changed;
            bool completed;
            lock (_gate)
            {
                batch = next < _events.Count ? [.. _events.Skip((int)next)] : [];
                changed = _changed.Task;
                completed = _completed;
            }
            foreach (ServerEvent e in batch)
            {
                yield return e;
            }
            next += batch.Length;
            if (completed && batch.Length == 0)
            {
                yield break;
            }
            if (batch.Length == 0)
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
