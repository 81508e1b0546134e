using System.Collections.Concurrent;
using Conduit.Messaging;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Messaging;

/// <summary>
/// The in-process message bus: one topic per message type, created on first use. Synchronous handlers run on the
/// publisher's thread, isolated from each other's exceptions; asynchronous ones read bounded buffers that are
/// drained, not dropped, when a run ends and when the bus is disposed.
/// </summary>
public sealed class MessageBus : IMessageBusDiagnostics, IAsyncDisposable
{
    private readonly ConcurrentDictionary<Type, ITopic> _topics = new();
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _stopGate = new();
    private long _lastSubscriptionId;
    private volatile bool _isStopping;
    private Task? _stopped;

    /// <summary>Creates an empty bus.</summary>
    public MessageBus(ILogger<MessageBus> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;

        // Read once here: consumers may still ask for it after the source is disposed.
        StoppingToken = _stopping.Token;
    }

    /// <summary>Signalled only when the bus stops without draining; handlers receive it.</summary>
    internal CancellationToken StoppingToken { get; }

    internal bool IsStopping => _isStopping;

    /// <summary>
    /// Completes when every message published before this call has been handled by every asynchronous subscriber
    /// (including those unsubscribed but still emptying their buffers). Synchronous handlers need no draining.
    /// </summary>
    public ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        var pending = new List<Task>();
        foreach (KeyValuePair<Type, ITopic> topic in _topics)
        {
            topic.Value.AddDrainTasks(pending, cancellationToken);
        }
        return pending.Count switch
        {
            0 => default,
            1 => new ValueTask(pending[0].WaitAsync(cancellationToken)),
            _ => new ValueTask(Task.WhenAll(pending).WaitAsync(cancellationToken)),
        };
    }

    /// <summary>
    /// Drains the buffers, then ends every consumer. If <paramref name="cancellationToken"/> fires first, handlers are
    /// told to stop through their cancellation token and what is still buffered is abandoned.
    /// Later asynchronous subscriptions are refused.
    /// </summary>
    public ValueTask StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopGate)
        {
            _stopped ??= StopCoreAsync(cancellationToken);
        }
        return new ValueTask(_stopped);
    }

    /// <summary>Drains the buffers, then ends every consumer.</summary>
    public ValueTask DisposeAsync() => StopAsync(CancellationToken.None);

    /// <inheritdoc/>
    public IReadOnlyList<TopicSnapshot> GetSnapshot()
    {
        var topics = new List<TopicSnapshot>(_topics.Count);
        foreach (KeyValuePair<Type, ITopic> topic in _topics)
        {
            topics.Add(topic.Value.GetSnapshot());
        }
        topics.Sort(static (a, b) => string.CompareOrdinal(a.MessageType.FullName, b.MessageType.FullName));
        return topics;
    }

    /// <summary>The topic of <typeparamref name="T"/>; the publisher and subscriber wrappers cache it.</summary>
    internal Topic<T> GetTopic<T>() =>
        (Topic<T>)_topics.GetOrAdd(typeof(T), static (_, bus) => new Topic<T>(bus, bus._logger), this);

    internal long NextSubscriptionId() => Interlocked.Increment(ref _lastSubscriptionId);

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            BusLog.StoppedWithoutDraining(_logger);
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _isStopping = true;
        var consumers = new List<Task>();
        foreach (KeyValuePair<Type, ITopic> topic in _topics)
        {
            topic.Value.Stop(consumers);
        }
        await Task.WhenAll(consumers).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
