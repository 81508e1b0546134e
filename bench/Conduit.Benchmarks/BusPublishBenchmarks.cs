using BenchmarkDotNet.Attributes;
using Conduit.Host.Messaging;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Benchmarks;

/// <summary>
/// Synchronous publish of a small struct message: the bus's <see cref="IPublisher{T}"/> against a plain multicast
/// delegate calling the same handlers. The target is a ratio of at most 2.
/// </summary>
[MemoryDiagnoser]
public class BusPublishBenchmarks
{
    // Many publishes per invocation, so that the harness's own call does not dominate a few nanoseconds.
    private const int Publishes = 1_000;

    private ServiceProvider _services = null!;
    private IPublisher<Tick> _publisher = null!;
    private Action<Tick> _delegate = null!;
    private LossHandler[] _handlers = [];

    [Params(1, 8)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddConduitBus().BuildServiceProvider();
        var subscriber = _services.GetRequiredService<ISubscriber<Tick>>();
        _publisher = _services.GetRequiredService<IPublisher<Tick>>();
        _handlers = new LossHandler[Subscribers];
        Action<Tick>? multicast = null;
        for (int i = 0; i < Subscribers; i++)
        {
            _handlers[i] = new LossHandler();
            multicast += _handlers[i].Handle;
            subscriber.Subscribe(_handlers[i]);
        }
        _delegate = multicast!;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Publishes)]
    public void MulticastDelegate()
    {
        Action<Tick> handlers = _delegate;
        for (int i = 0; i < Publishes; i++)
        {
            handlers(new Tick(i, 0.5));
        }
    }

    [Benchmark(OperationsPerInvoke = Publishes)]
    public void BusPublish()
    {
        IPublisher<Tick> publisher = _publisher;
        for (int i = 0; i < Publishes; i++)
        {
            publisher.Publish(new Tick(i, 0.5));
        }
    }

    private sealed class LossHandler : IMessageHandler<Tick>
    {
        public double Total { get; private set; }

        public void Handle(Tick message) => Total += message.Loss;
    }
}
