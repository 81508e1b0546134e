using Conduit.Host.Messaging;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Tests.Messaging;

public sealed class BusRegistrationTests
{
    [Fact(Timeout = 30_000)]
    public async Task Every_resolved_publisher_and_subscriber_shares_one_topic()
    {
        await using ServiceProvider services = new ServiceCollection().AddConduitBus().BuildServiceProvider();
        var sync = new RecordingHandler();
        var buffered = new AsyncRecordingHandler();
        using IDisposable a = services.GetRequiredService<ISubscriber<Tick>>().Subscribe(sync);
        using IDisposable b = services.GetRequiredService<ISubscriber<Tick>>().Subscribe(buffered);

        services.GetRequiredService<IPublisher<Tick>>().Publish(new Tick(1));
        await services.GetRequiredService<IPublisher<Tick>>().PublishAsync(new Tick(2));
        var bus = services.GetRequiredService<MessageBus>();
        await bus.DrainAsync(CancellationToken.None);

        Assert.Equal([1, 2], sync.Received);
        Assert.Equal([1, 2], buffered.Received);
        Assert.Same(bus, services.GetRequiredService<IMessageBusDiagnostics>());
        TopicSnapshot topic = Assert.Single(bus.GetSnapshot());
        Assert.Equal(2, topic.Published);
        Assert.Equal([SubscriptionMode.Synchronous, SubscriptionMode.Asynchronous], topic.Subscriptions.Select(s => s.Mode));
    }

    [Fact(Timeout = 30_000)]
    public async Task Registered_handlers_are_subscribed_once_and_a_broken_one_is_skipped()
    {
        var logs = new CapturingLoggerProvider();
        var sync = new RecordingHandler();
        var collection = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddConduitBus()
            .AddSingleton<IMessageHandler<Tick>>(sync)
            .AddSingleton<IMessageHandler<Tick>, UnconstructibleHandler>()
            .AddSingleton<IAsyncMessageHandler<Tick>>(_ => new AsyncRecordingHandler { Capacity = 2 });
        RegisteredHandlers handlers = RegisteredHandlers.Take(collection);
        await using ServiceProvider services = collection.BuildServiceProvider();
        var bus = services.GetRequiredService<MessageBus>();
        var publisher = services.GetRequiredService<IPublisher<Tick>>();

        Assert.Empty(services.GetServices<IMessageHandler<Tick>>()); // taken out: the host alone creates them
        IDisposable subscriptions = handlers.SubscribeAll(services);
        publisher.Publish(new Tick(1));
        await bus.DrainAsync(CancellationToken.None);

        Assert.Equal([1], sync.Received);
        SubscriptionSnapshot[] live = [.. Assert.Single(bus.GetSnapshot()).Subscriptions];
        Assert.Equal([("RecordingHandler", SubscriptionMode.Synchronous, 1L), ("AsyncRecordingHandler", SubscriptionMode.Asynchronous, 1L)],
            live.Select(s => (s.Name, s.Mode, s.Delivered)));
        Assert.Equal(2, live[1].Capacity);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(nameof(UnconstructibleHandler), StringComparison.Ordinal));

        subscriptions.Dispose();
        publisher.Publish(new Tick(2));
        await bus.DrainAsync(CancellationToken.None);

        Assert.Equal([1], sync.Received);
        Assert.Empty(Assert.Single(bus.GetSnapshot()).Subscriptions);
    }

    private sealed class UnconstructibleHandler : IMessageHandler<Tick>
    {
        public UnconstructibleHandler() => throw new InvalidOperationException("a broken plugin");

        public void Handle(Tick message)
        {
        }
    }
}
