using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using NATS.Client.JetStream;

namespace Conduit.Host.Scale;

/// <summary>
/// Puts one attempt's events on the events stream, in the order the worker process wrote them: each is stamped with
/// the attempt and the worker, so the server can tell an old attempt's late events from the current one's.
/// </summary>
internal sealed class NatsEventPublisher : IDisposable
{
    private readonly Channel<(string Type, string Data)> _queue = Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public NatsEventPublisher(INatsJSContext js, string jobId, int attempt, string worker)
    {
        _pump = Task.Run(async () =>
        {
            await foreach ((string type, string data) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                string envelope = $"{{\"jobId\":{JsonSerializer.Serialize(jobId)},\"attempt\":{attempt},\"worker\":{JsonSerializer.Serialize(worker)},\"type\":{JsonSerializer.Serialize(type)},\"data\":{data}}}";
                await js.PublishAsync(NatsNames.Events(jobId), Encoding.UTF8.GetBytes(envelope)).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Queues an event (type, JSON data); never waits for the network.</summary>
    public void Publish(string type, string data) => _queue.Writer.TryWrite((type, data));

    /// <summary>Waits until every queued event is on the stream.</summary>
    public async Task FlushAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }

    public void Dispose() => _queue.Writer.TryComplete();
}
