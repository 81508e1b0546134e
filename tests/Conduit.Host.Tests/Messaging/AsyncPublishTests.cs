using Conduit.Host.Messaging;
using Conduit.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Host.Tests.Messaging;

public sealed class AsyncPublishTests
{
    [Fact(Timeout = 30_000)]
    public async Task Each_async_handler_sees_messages_in_publish_order()
    {
        await using var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        var publisher = new Publisher<Tick>(bus);
        var subscriber = new Subscriber<Tick>(bus);
        var first = new AsyncRecordingHandler { Capacity = 8 };
        var second = new AsyncRecordingHandler();
        using IDisposable a = subscriber.Subscribe(first);
        using IDisposable b = subscriber.Subscribe(second);

        for (int i = 0; i < 10_000; i++)
        {
            await publisher.PublishAsync(new Tick(i));
        }
        await bus.DrainAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 10_000), first.Received);
        Assert.Equal(Enumerable.Range(0, 10_000), second.Received);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_slow_subscriber_with_a_small_buffer_gets_a_million_messages_in_order()
    {
        const int Count = 1_000_000;
        await using var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        var publisher = new Publisher<Tick>(bus);
        var slow = new SlowOrderedHandler();
        using IDisposable subscription = new Subscriber<Tick>(bus).Subscribe(slow);

        // The synchronous publisher blocks whenever the buffer is full: backpressure, never a drop.
        await Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < Count; i++)
                {
                    publisher.Publish(new Tick(i));
                }
            },
            TaskCreationOptions.LongRunning);
        await bus.DrainAsync(CancellationToken.None);

        Assert.Equal(Count, slow.Next);
        Assert.Equal(0, slow.OutOfOrder);
        SubscriptionSnapshot snapshot = Assert.Single(Assert.Single(bus.GetSnapshot()).Subscriptions);
        Assert.Equal((Count, 0L, 0, 64), (snapshot.Delivered, snapshot.Faulted, snapshot.Queued, snapshot.Capacity));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_throwing_async_handler_is_isolated_and_counted()
    {
        var logs = new CapturingLoggerProvider();
        await using var bus = new MessageBus(logs.CreateLogger<MessageBus>());
        var publisher = new Publisher<Tick>(bus);
        var subscriber = new Subscriber<Tick>(bus);
        var healthy = new AsyncRecordingHandler();
        var sync = new RecordingHandler();
        using IDisposable a = subscriber.Subscribe((tick, _) => tick.Value % 2 == 0 ? throw new InvalidOperationException("even") : default);
        using IDisposable b = subscriber.Subscribe(healthy);
        using IDisposable c = new Subscriber<Tick>(bus).Subscribe(sync);

        for (int i = 0; i < 100; i++)
        {
            await publisher.PublishAsync(new Tick(i));
        }
        await bus.DrainAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 100), healthy.Received);
        Assert.Equal(Enumerable.Range(0, 100), sync.Received);
        SubscriptionSnapshot broken = Assert.Single(Assert.Single(bus.GetSnapshot()).Subscriptions, s => s.Name == typeof(AsyncPublishTests).FullName);
        Assert.Equal((50L, 50L, SubscriptionMode.Asynchronous), (broken.Delivered, broken.Faulted, broken.Mode));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
    }

    [Fact(Timeout = 30_000)]
    public async Task Drain_waits_until_every_earlier_message_is_handled()
    {
        await using var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        var gated = new GatedHandler();
        using IDisposable subscription = new Subscriber<Tick>(bus).Subscribe(gated);
        var publisher = new Publisher<Tick>(bus);
        for (int i = 0; i < 10; i++)
        {
            publisher.Publish(new Tick(i));
        }

        ValueTask drain = bus.DrainAsync(CancellationToken.None);
        Assert.False(drain.IsCompleted); // the handler cannot finish the first message until the gate opens

        gated.Open();
        await drain;
        Assert.Equal(10, gated.Handled);
    }

    [Fact(Timeout = 30_000)]
    public async Task Unsubscribing_lets_buffered_messages_be_handled_and_stops_later_ones()
    {
        await using var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        var gated = new GatedHandler();
        IDisposable subscription = new Subscriber<Tick>(bus).Subscribe(gated);
        var publisher = new Publisher<Tick>(bus);
        for (int i = 0; i < 10; i++)
        {
            publisher.Publish(new Tick(i));
        }

        subscription.Dispose();
        publisher.Publish(new Tick(10));
        ValueTask drain = bus.DrainAsync(CancellationToken.None); // waits for the unsubscribed consumer too
        Assert.False(drain.IsCompleted);
        gated.Open();
        await drain;

        Assert.Equal(10, gated.Handled);
        Assert.Empty(Assert.Single(bus.GetSnapshot()).Subscriptions);
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_drains_the_buffers()
    {
        var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        var gated = new GatedHandler();
        _ = new Subscriber<Tick>(bus).Subscribe(gated);
        var publisher = new Publisher<Tick>(bus);
        for (int i = 0; i < 10; i++)
        {
            publisher.Publish(new Tick(i));
        }

        ValueTask disposal = bus.DisposeAsync();
        Assert.False(disposal.IsCompleted);
        gated.Open();
        await disposal;

        Assert.Equal(10, gated.Handled);
        Assert.Throws<ObjectDisposedException>(() => new Subscriber<Tick>(bus).Subscribe(gated));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stopping_without_draining_cancels_the_handlers_token()
    {
        var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int handled = 0;
        _ = new Subscriber<Tick>(bus).Subscribe(async (_, cancellationToken) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            handled++;
        });
        var publisher = new Publisher<Tick>(bus);
        publisher.Publish(new Tick(0));
        publisher.Publish(new Tick(1));
        await started.Task;

        await bus.StopAsync(new CancellationToken(canceled: true));

        Assert.Equal(0, handled);
        await bus.DisposeAsync(); // stopping twice is harmless
    }

    /// <summary>Checks order itself (the list of a million would cost more than the check) and is slow now and then.</summary>
    private sealed class SlowOrderedHandler : IAsyncMessageHandler<Tick>
    {
        public int Capacity => 64;

        public int Next { get; private set; }

        public int OutOfOrder { get; private set; }

        public async ValueTask HandleAsync(Tick message, CancellationToken cancellationToken)
        {
            if (message.Value != Next)
            {
                OutOfOrder++;
            }
            Next = message.Value + 1;
            if (message.Value % 200_000 == 0)
            {
                await Task.Delay(1, cancellationToken);
            }
            else if (message.Value % 1_000 == 0)
            {
                await Task.Yield();
            }
        }
    }

    private sealed class GatedHandler : IAsyncMessageHandler<Tick>
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _handled;

        public int Handled => Volatile.Read(ref _handled);

        public void Open() => _gate.TrySetResult();

        public async ValueTask HandleAsync(Tick message, CancellationToken cancellationToken)
        {
            await _gate.Task.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _handled);
        }
    }
}
