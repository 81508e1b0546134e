using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Conduit.Host.Messaging;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Benchmarks;

/// <summary>
/// Buffered delivery: publish <see cref="Messages"/> messages to one asynchronous subscriber and wait until it has
/// handled them all, against a raw bounded <see cref="Channel{T}"/> writer and reader doing the same work with
/// the same capacity. Kept apart from <see cref="BusPublishBenchmarks"/> so that its subscriber count does not
/// multiply these runs.
/// </summary>
[MemoryDiagnoser]
public class BusAsyncPublishBenchmarks
{
    private const int Capacity = 4096; // IAsyncMessageHandler<T>.Capacity by default

    private ServiceProvider _services = null!;
    private MessageBus _bus = null!;
    private IPublisher<Tick> _publisher = null!;
    private Channel<Tick> _channel = null!;
    private Task _reader = Task.CompletedTask;
    private TaskCompletionSource _readerReachedEnd = new();
    private double _readerTotal;

    [Params(10_000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddConduitBus().BuildServiceProvider();
        _bus = _services.GetRequiredService<MessageBus>();
        _publisher = _services.GetRequiredService<IPublisher<Tick>>();
        _services.GetRequiredService<ISubscriber<Tick>>().Subscribe(new LossHandler());

        _channel = Channel.CreateBounded<Tick>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            AllowSynchronousContinuations = false,
        });
        _reader = Task.Run(ReadAsync);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.TryComplete();
        _reader.GetAwaiter().GetResult();
        _services.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public async Task RawChannel()
    {
        _readerReachedEnd = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ChannelWriter<Tick> writer = _channel.Writer;
        for (int i = 0; i < Messages; i++)
        {
            var message = new Tick(i, 0.5);
            if (!writer.TryWrite(message))
            {
                await writer.WriteAsync(message).ConfigureAwait(false);
            }
        }

        // An end marker, as the bus's drain does.
        await writer.WriteAsync(new Tick(-1, 0)).ConfigureAwait(false);
        await _readerReachedEnd.Task.ConfigureAwait(false);
    }

    [Benchmark]
    public async Task BusPublishAndDrain()
    {
        IPublisher<Tick> publisher = _publisher;
        for (int i = 0; i < Messages; i++)
        {
            await publisher.PublishAsync(new Tick(i, 0.5)).ConfigureAwait(false);
        }
        await _bus.DrainAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ReadAsync()
    {
        ChannelReader<Tick> reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out Tick message))
            {
                if (message.Step < 0)
                {
                    _readerReachedEnd.TrySetResult();
                    continue;
                }
                _readerTotal += message.Loss;
            }
        }
    }

    private sealed class LossHandler : IAsyncMessageHandler<Tick>
    {
        public double Total { get; private set; }

        public ValueTask HandleAsync(Tick message, CancellationToken cancellationToken)
        {
            Total += message.Loss;
            return default;
        }
    }
}
