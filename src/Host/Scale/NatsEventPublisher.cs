using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using NATS.Client.JetStream;

namespace Conduit.Host.Scale;

/// <summary>
/// Puts one attempt's events on the events stream, in the order the worker process wrote them: each is stamped with
/// the attempt and the worker, so the server can tell an old attempt's late events from the current one's. Each event
/// first passes <c>admit</c> (which uploads a checkpoint before its event goes out, so a checkpoint event on the
/// stream means the checkpoint is in the object store); one it refuses is not published.
/// </summary>
internal sealed class NatsEventPublisher : IDisposable
{
    private readonly Channel<(string Type, string Data)> _queue = Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly INatsJSContext _js;
    private readonly string _jobId;
    private readonly int _attempt;
    private readonly string _worker;
    private readonly Task _pump;

    public NatsEventPublisher(INatsJSContext js, string jobId, int attempt, string worker, Func<string, string, Task<bool>> admit)
    {
        (_js, _jobId, _attempt, _worker) = (js, jobId, attempt, worker);
        _pump = Task.Run(async () =>
        {
            await foreach ((string type, string data) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (await admit(type, data).ConfigureAwait(false))
                {
                    await PublishNowAsync(type, data).ConfigureAwait(false);
                }
            }
        });
    }

    /// <summary>Queues an event (type, JSON data); never waits for the network.</summary>
    public void Publish(string type, string data) => _queue.Writer.TryWrite((type, data));

    /// <summary>Waits until every queued event has been admitted and published (or refused); queues nothing after.</summary>
    public async Task FlushAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }

    /// <summary>Publishes an event now, past the queue (the attempt's last word, after <see cref="FlushAsync"/>).</summary>
    public async Task PublishNowAsync(string type, string data)
    {
        string envelope = $"{{\"jobId\":{JsonSerializer.Serialize(_jobId)},\"attempt\":{_attempt},\"worker\":{JsonSerializer.Serialize(_worker)},\"type\":{JsonSerializer.Serialize(type)},\"data\":{data}}}";
        await _js.PublishAsync(NatsNames.Events(_jobId), Encoding.UTF8.GetBytes(envelope)).ConfigureAwait(false);
    }

    public void Dispose() => _queue.Writer.TryComplete();
}
