using System.Text.Json;
using Conduit.Host.Server;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Conduit.Host.Scale;

/// <summary>
/// A worker's registration: its <see cref="WorkerInfo"/> put in a key-value bucket every two seconds; the bucket
/// forgets a key ten seconds after its last put, so a worker that is gone drops out of <c>GET /api/workers</c>.
/// </summary>
internal sealed class NatsHeartbeat : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private NatsHeartbeat(INatsKVStore bucket, Func<WorkerInfo> info)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                WorkerInfo current = info();
                await bucket.PutAsync(current.Id.Replace(':', '-'), JsonSerializer.Serialize(current, Json)).ConfigureAwait(false);
                await Task.Delay(Interval, _stop.Token).ConfigureAwait(false);
            }
        });
    }

    public static async Task<NatsHeartbeat> StartAsync(INatsJSContext js, Func<WorkerInfo> info) =>
        new(await Bucket(js).ConfigureAwait(false), info);

    /// <summary>The bucket of heartbeats (created when missing).</summary>
    public static async Task<INatsKVStore> Bucket(INatsJSContext js) =>
        await new NatsKVContext(js).CreateOrUpdateStoreAsync(new NatsKVConfig(NatsNames.WorkersBucket) { MaxAge = TimeSpan.FromSeconds(10) }).ConfigureAwait(false);

    /// <summary>The workers heard from in the last ten seconds.</summary>
    public static async Task<IReadOnlyList<WorkerInfo>> ListAsync(INatsJSContext js, CancellationToken cancellationToken)
    {
        INatsKVStore bucket = await Bucket(js).ConfigureAwait(false);
        var workers = new List<WorkerInfo>();
        try
        {
            await foreach (string key in bucket.GetKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                NatsKVEntry<string> entry = await bucket.GetEntryAsync<string>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (entry.Value is { } value && JsonSerializer.Deserialize<WorkerInfo>(value, Json) is { } worker)
                {
                    workers.Add(worker);
                }
            }
        }
        catch (NatsKVKeyNotFoundException)
        {
            // Expired between listing and reading.
        }
        return workers;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
