using System.Text.Json;
using Conduit.Host.Server;
using Conduit.Host.Workers;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Conduit.Host.Scale;

/// <summary>
/// <c>conduit worker --nats URL</c>: pulls jobs from the work queue, <c>slots</c> at a time, and runs each in a
/// <see cref="NatsAttempt"/> of its own (a worker process, as a local server runs), with the job's checkpoints and model
/// going through the object store. If this worker dies, JetStream redelivers its jobs when the ack wait runs out, and
/// the next attempt resumes from the last uploaded checkpoint, on any machine.
/// </summary>
internal sealed class NatsWorker(NatsConnection nats, WorkerLaunch launch, NatsWorkFolder folder, int slots)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly NatsJSContext _js = new(nats);
    private readonly Dictionary<string, WorkerProcess> _running = [];
    private readonly string _id = $"{Environment.MachineName}:{Environment.ProcessId}";

    public async Task RunAsync(CancellationToken stop)
    {
        INatsJSConsumer consumer = await WaitForQueueAsync(stop).ConfigureAwait(false);
        TimeSpan ackWait = consumer.Info.Config.AckWait;
        long maxDeliver = consumer.Info.Config.MaxDeliver;
        NatsJobObjects objects = await NatsJobObjects.OpenAsync(_js, stop).ConfigureAwait(false);
        var parts = new NatsWorkerParts(_js, objects, await NatsAttemptFence.OpenAsync(_js, stop).ConfigureAwait(false), new NatsDataFiles(objects), folder, launch, _id);
        await using var heartbeat = await NatsHeartbeat.StartAsync(_js, () => Info(slots)).ConfigureAwait(false);
        Task control = ListenForCancelAsync(stop);
        await Task.WhenAll(Enumerable.Range(0, slots).Select(_ => Task.Run(() => SlotAsync(parts, consumer, ackWait, maxDeliver, stop), CancellationToken.None))).ConfigureAwait(false);
        await control.ConfigureAwait(false);
    }

    private async Task SlotAsync(NatsWorkerParts parts, INatsJSConsumer consumer, TimeSpan ackWait, long maxDeliver, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await NatsPull.NextAsync(consumer, stop).ConfigureAwait(false) is { } message
                && JsonSerializer.Deserialize<NatsJob>(message.Data!, Json) is { } job)
            {
                try
                {
                    await new NatsAttempt(parts, message, job).RunAsync(ackWait, (int)maxDeliver, process => Track(job.Id, process), stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // NATS went away mid-attempt, say: the message comes back after the ack wait; this slot goes on.
                    Console.Error.WriteLine($"conduit worker: job {job.Id}: {e.Message}");
                }
            }
        }
    }

    private void Track(string jobId, WorkerProcess? process)
    {
        lock (_running)
        {
            if (process is null)
            {
                _running.Remove(jobId);
            }
            else
            {
                _running[jobId] = process;
            }
        }
    }

    private async Task ListenForCancelAsync(CancellationToken stop)
    {
        try
        {
            await foreach (NatsMsg<string> request in nats.SubscribeAsync<string>("conduit.control.*", cancellationToken: stop).ConfigureAwait(false))
            {
                string id = request.Subject["conduit.control.".Length..];
                lock (_running)
                {
                    if (_running.TryGetValue(id, out WorkerProcess? process))
                    {
                        process.Send("cancel");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The queue exists once a server has started; a worker may start first.
    private async Task<INatsJSConsumer> WaitForQueueAsync(CancellationToken stop)
    {
        while (true)
        {
            try
            {
                return await _js.GetConsumerAsync(NatsNames.JobsStream, NatsNames.WorkersConsumer, stop).ConfigureAwait(false);
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
        }
    }

    private WorkerInfo Info(int slots)
    {
        lock (_running)
        {
            return new WorkerInfo(_id, Environment.MachineName, Environment.ProcessId, slots, [.. _running.Keys], DateTimeOffset.UtcNow,
                _running.Values.Sum(p => p.RssMb));
        }
    }
}
