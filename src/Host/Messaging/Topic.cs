using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Conduit.Messaging;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Messaging;

/// <summary>
/// The subscriptions to one message type. Subscribing and unsubscribing copy the arrays under a lock; publishing
/// reads each array once and loops without a lock, so a handler may (un)subscribe while a publish is running.
/// </summary>
internal sealed class Topic<T> : ITopic
{

    private readonly MessageBus _bus;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Unsubscribed subscriptions whose consumers are still handling buffered messages; a drain waits for them too.
    private readonly List<AsyncSubscription<T>> _retiring = [];

    private SyncSubscription<T>[] _sync = [];
    private AsyncSubscription<T>[] _async = [];

    // One count per publishing thread, keyed by managed thread id: ids are unique among live threads, so a count
    // has one writer at a time, and a thread that reuses an id carries on the count of one that has ended.
    private readonly ConcurrentDictionary<int, PublishCount> _publishCounts = new();
    private readonly int _index = PublishCount.NewTopicIndex();

    public Topic(MessageBus bus, ILogger logger)
    {
        _bus = bus;
        _logger = logger;
    }

    /// <summary>Messages published so far; publishes running while this is read may or may not be included.</summary>
    public long Published
    {
        get
        {
            long published = 0;
            foreach (KeyValuePair<int, PublishCount> count in _publishCounts)
            {
                published += Volatile.Read(ref count.Value.Value);
            }
            return published;
        }
    }

    public void Publish(T message)
    {
        RunHandlers(message);
        AsyncSubscription<T>[] buffered = Volatile.Read(ref _async);
        for (int i = 0; i < buffered.Length; i++)
        {
            buffered[i].Enqueue(message);
        }
    }

    public ValueTask PublishAsync(T message, CancellationToken cancellationToken)
    {
        RunHandlers(message);
        AsyncSubscription<T>[] buffered = Volatile.Read(ref _async);
        for (int i = 0; i < buffered.Length; i++)
        {
            ValueTask queued = buffered[i].EnqueueAsync(message, cancellationToken);
            if (!queued.IsCompletedSuccessfully)
            {
                return QueueRestAsync(queued, buffered, i + 1, message, cancellationToken);
            }
        }
        return default;
    }

    public IDisposable Subscribe(IMessageHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            var subscription = new SyncSubscription<T>(this, handler, _bus.NextSubscriptionId(), Published, _logger);
            _sync = [.. _sync, subscription];
            return subscription;
        }
    }

    public IDisposable Subscribe(IAsyncMessageHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        int capacity = handler.Capacity;
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(handler), capacity, $"{handler.GetType().Name}.Capacity must be at least 1.");
        }
        lock (_gate)
        {
            // A stopped bus has no one left to end a new consumer.
            ObjectDisposedException.ThrowIf(_bus.IsStopping, _bus);
            var subscription = new AsyncSubscription<T>(this, handler, capacity, _bus.NextSubscriptionId(), _bus.StoppingToken, _logger);
            _async = [.. _async, subscription];
            return subscription;
        }
    }

    public void Remove(SyncSubscription<T> subscription)
    {
        lock (_gate)
        {
            _sync = Without(_sync, subscription);
        }
    }

    public void Remove(AsyncSubscription<T> subscription)
    {
        lock (_gate)
        {
            AsyncSubscription<T>[] remaining = Without(_async, subscription);
            if (ReferenceEquals(remaining, _async))
            {
                return;
            }
            _async = remaining;
            if (!subscription.Completion.IsCompleted)
            {
                _retiring.Add(subscription);
            }
        }

        // A publish still holding the old array may find the buffer closed; its message then has no one to go to.
        subscription.Complete();
    }

    /// <summary>Called by a consumer as it ends.</summary>
    public void Retire(AsyncSubscription<T> subscription)
    {
        lock (_gate)
        {
            _retiring.Remove(subscription);
        }
    }

    public TopicSnapshot GetSnapshot()
    {
        SyncSubscription<T>[] sync;
        AsyncSubscription<T>[] buffered;
        lock (_gate)
        {
            sync = _sync;
            buffered = _async;
        }
        var subscriptions = new List<SubscriptionSnapshot>(sync.Length + buffered.Length);
        foreach (SyncSubscription<T> subscription in sync)
        {
            subscriptions.Add(subscription.GetSnapshot());
        }
        foreach (AsyncSubscription<T> subscription in buffered)
        {
            subscriptions.Add(subscription.GetSnapshot());
        }
        subscriptions.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return new TopicSnapshot(typeof(T), Published, subscriptions);
    }

    public void AddDrainTasks(List<Task> tasks, CancellationToken cancellationToken)
    {
        AsyncSubscription<T>[] buffered;
        lock (_gate)
        {
            buffered = _async;
            foreach (AsyncSubscription<T> retiring in _retiring)
            {
                tasks.Add(retiring.Completion);
            }
        }
        foreach (AsyncSubscription<T> subscription in buffered)
        {
            tasks.Add(subscription.DrainAsync(cancellationToken));
        }
    }

    public void Stop(List<Task> consumers)
    {
        AsyncSubscription<T>[] buffered;
        lock (_gate)
        {
            buffered = _async;
            _async = [];
            foreach (AsyncSubscription<T> retiring in _retiring)
            {
                consumers.Add(retiring.Completion);
            }
        }
        foreach (AsyncSubscription<T> subscription in buffered)
        {
            subscription.Complete();
            consumers.Add(subscription.Completion);
        }
    }

    /// <summary>Counts the publish and calls the synchronous handlers, each isolated from the others' exceptions.</summary>
    /// <remarks>
    /// The hot path: a count of this thread's own instead of an interlocked increment, no lock, no per-handler
    /// bookkeeping (see <see cref="SyncSubscription{T}"/>), no allocation, no boxing of a struct message.
    /// </remarks>
    private void RunHandlers(T message)
    {
        PublishCount count = PublishCount.OfThisThread(_index) ?? CountOfThisThread();
        Volatile.Write(ref count.Value, count.Value + 1);

        SyncSubscription<T>[] sync = Volatile.Read(ref _sync);
        for (int i = 0; i < sync.Length; i++)
        {
            SyncSubscription<T> subscription = sync[i];
            try
            {
                subscription.Handler.Handle(message);
            }
            catch (Exception e)
            {
                subscription.RecordFault(e);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private PublishCount CountOfThisThread()
    {
        PublishCount count = _publishCounts.GetOrAdd(Environment.CurrentManagedThreadId, static _ => new PublishCount());
        PublishCount.SetForThisThread(_index, count);
        return count;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask QueueRestAsync(
        ValueTask pending, AsyncSubscription<T>[] buffered, int next, T message, CancellationToken cancellationToken)
    {
        await pending.ConfigureAwait(false);
        for (int i = next; i < buffered.Length; i++)
        {
            await buffered[i].EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TSubscription[] Without<TSubscription>(TSubscription[] subscriptions, TSubscription subscription)
        where TSubscription : class
    {
        int index = Array.IndexOf(subscriptions, subscription);
        if (index < 0)
        {
            return subscriptions;
        }
        var remaining = new TSubscription[subscriptions.Length - 1];
        Array.Copy(subscriptions, 0, remaining, 0, index);
        Array.Copy(subscriptions, index + 1, remaining, index, remaining.Length - index);
        return remaining;
    }
}
