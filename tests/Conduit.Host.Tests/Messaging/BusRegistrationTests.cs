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
        using IDisposable b = services.GetRequiredService<IAsyncSubscriber<Tick>>().Subscribe(buffered);

        services.GetRequiredService<IPublisher<Tick>>().Publish(new Tick(1));
        await services.GetRequiredService<IAsyncPublisher<Tick>>().PublishAsync(new Tick(2));
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
    public async Task SubscribeAll_subscribes_registered_handlers_and_skips_a_broken_one()
    {
        var logs = new CapturingLoggerProvider();
        var collection = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddConduitBus()
            .AddMessageHandler<Tick, RecordingHandler>()
            .AddMessageHandler<Tick, UnconstructibleHandler>()
            .AddAsyncMessageHandler<Tick, AsyncRecordingHandler>(new AsyncSubscriptionOptions { Capacity = 2, Name = "buffered" });
        await using ServiceProvider services = collection.BuildServiceProvider();
        var bus = services.GetRequiredService<MessageBus>();
        var publisher = services.GetRequiredService<IPublisher<Tick>>();

        IDisposable subscriptions = MessageHandlerSubscriptions.SubscribeAll(services);
        publisher.Publish(new Tick(1));
        await bus.DrainAsync(CancellationToken.None);

        Assert.Equal([1], services.GetRequiredService<RecordingHandler>().Received);
        Assert.Equal([1], services.GetRequiredService<AsyncRecordingHandler>().Received);
        Assert.Equal(["RecordingHandler", "buffered"], Assert.Single(bus.GetSnapshot()).Subscriptions.Select(s => s.Name));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(nameof(UnconstructibleHandler), StringComparison.Ordinal));

        subscriptions.Dispose();
        publisher.Publish(new Tick(2));
        await bus.DrainAsync(CancellationToken.None);

        Assert.Equal([1], services.GetRequiredService<RecordingHandler>().Received);
        Assert.Equal([1], services.GetRequiredService<AsyncRecordingHandler>().Received);
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
