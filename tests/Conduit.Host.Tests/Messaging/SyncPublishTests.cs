using Conduit.Host.Messaging;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Host.Tests.Messaging;

public sealed class SyncPublishTests
{
    [Fact]
    public async Task Each_handler_sees_messages_in_publish_order()
    {
        await using var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        var publisher = new Publisher<Tick>(bus);
        var subscriber = new Subscriber<Tick>(bus);
        var first = new RecordingHandler();
        var second = new RecordingHandler();
        using IDisposable a = subscriber.Subscribe(first);
        using IDisposable b = subscriber.Subscribe(second);

        for (int i = 0; i < 10_000; i++)
        {
            publisher.Publish(new Tick(i));
        }

        Assert.Equal(Enumerable.Range(0, 10_000), first.Received);
        Assert.Equal(Enumerable.Range(0, 10_000), second.Received);
    }

    [Fact]
    public async Task A_throwing_handler_is_isolated_counted_and_logged_only_a_few_times()
    {
        var logs = new CapturingLoggerProvider();
        await using var bus = new MessageBus(logs.CreateLogger<MessageBus>());
        var publisher = new Publisher<Tick>(bus);
        var subscriber = new Subscriber<Tick>(bus);
        var before = new RecordingHandler();
        var after = new RecordingHandler();
        using IDisposable a = subscriber.Subscribe(before);
        using IDisposable b = subscriber.Subscribe(new ThrowingHandler());
        using IDisposable c = subscriber.Subscribe(after);

        for (int i = 0; i < 100; i++)
        {
            publisher.Publish(new Tick(i)); // must not throw
        }

        Assert.Equal(100, before.Received.Count);
        Assert.Equal(100, after.Received.Count);
        TopicSnapshot topic = Assert.Single(bus.GetSnapshot());
        Assert.Equal(typeof(Tick), topic.MessageType);
        Assert.Equal(100, topic.Published);
        SubscriptionSnapshot broken = Assert.Single(topic.Subscriptions, s => s.HandlerType == typeof(ThrowingHandler));
        Assert.Equal((0L, 100L), (broken.Delivered, broken.Faulted));
        Assert.Equal(SubscriptionMode.Synchronous, broken.Mode);
        Assert.Equal(nameof(ThrowingHandler), broken.Name);
        Assert.All(topic.Subscriptions.Where(s => s != broken), s => Assert.Equal((100L, 0L), (s.Delivered, s.Faulted)));

        // The first few faults are logged with their exception, then one warning, then only the counter moves.
        var errors = logs.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.InRange(errors.Count, 1, 5);
        Assert.All(errors, e => Assert.IsType<InvalidOperationException>(e.Exception));
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Delegate_subscriptions_are_named_after_the_code_that_subscribed()
    {
        await using var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        using IDisposable subscription = new Subscriber<Tick>(bus).Subscribe(_ => { });

        SubscriptionSnapshot snapshot = Assert.Single(Assert.Single(bus.GetSnapshot()).Subscriptions);

        Assert.Contains(nameof(SyncPublishTests), snapshot.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsubscribing_from_handlers_while_several_threads_publish_is_safe()
    {
        const int Threads = 4;
        const int PerThread = 20_000;
        await using var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        var publisher = new Publisher<Tick>(bus);
        var subscriber = new Subscriber<Tick>(bus);

        long steady = 0, self = 0, victim = 0, killer = 0;
        IDisposable? selfSubscription = null;
        IDisposable? victimSubscription = null;
        using IDisposable steadySubscription = subscriber.Subscribe(_ => Interlocked.Increment(ref steady));
        selfSubscription = subscriber.Subscribe(_ =>
        {
            if (Interlocked.Increment(ref self) == 100)
            {
                selfSubscription!.Dispose();
            }
        });
        victimSubscription = subscriber.Subscribe(_ => Interlocked.Increment(ref victim));
        using IDisposable killerSubscription = subscriber.Subscribe(_ =>
        {
            if (Interlocked.Increment(ref killer) == 500)
            {
                victimSubscription!.Dispose();
            }
        });

        using var start = new Barrier(Threads);
        Task[] publishers = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (int i = 0; i < PerThread; i++)
                {
                    publisher.Publish(new Tick(i));
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(publishers);

        Assert.Equal(Threads * PerThread, Interlocked.Read(ref steady));
        Assert.Equal(Threads * PerThread, Interlocked.Read(ref killer));

        // Publishes already running when a subscription went may still reach it, but no later one does.
        long selfAfter = Interlocked.Read(ref self), victimAfter = Interlocked.Read(ref victim);
        Assert.InRange(selfAfter, 100, (Threads * PerThread) - 1);
        Assert.InRange(victimAfter, 1, (Threads * PerThread) - 1);
        publisher.Publish(new Tick(-1));
        Assert.Equal((selfAfter, victimAfter), (Interlocked.Read(ref self), Interlocked.Read(ref victim)));

        // Counting is per publishing thread, without interlocked operations: still exact under concurrent publishers.
        TopicSnapshot topic = Assert.Single(bus.GetSnapshot());
        Assert.Equal((Threads * PerThread) + 1, topic.Published);
        Assert.Equal(2, topic.Subscriptions.Count);
        Assert.All(topic.Subscriptions, s => Assert.Equal((Threads * PerThread) + 1, s.Delivered));
    }

    [Fact]
    public async Task Publishing_a_struct_message_to_synchronous_handlers_allocates_nothing()
    {
        await using var bus = new MessageBus(NullLogger<MessageBus>.Instance);
        IPublisher<BatchEnded> publisher = new Publisher<BatchEnded>(bus);
        var subscriber = new Subscriber<BatchEnded>(bus);
        var sink = new LossSink();
        var subscriptions = Enumerable.Range(0, 8).Select(_ => subscriber.Subscribe(sink)).ToList();
        var message = new BatchEnded { RunId = "run-1", Epoch = 0, BatchIndex = 0, GlobalStep = 0, Loss = 0.5, BatchSize = 32, BatchesInEpoch = 100 };

        for (int i = 0; i < 1_000; i++)
        {
            publisher.Publish(message); // warm-up: JIT, tiering, first-use statics
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            publisher.Publish(message with { BatchIndex = i });
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(8 * 11_000, sink.Count);
        subscriptions.ForEach(s => s.Dispose());
    }

    private sealed class LossSink : IMessageHandler<BatchEnded>
    {
        public int Count { get; private set; }

        public double Total { get; private set; }

        public void Handle(BatchEnded message)
        {
            Count++;
            Total += message.Loss;
        }
    }
}
