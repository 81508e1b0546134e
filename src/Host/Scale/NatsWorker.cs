using System.Text.Json;
using Conduit.Host.Server;
using Conduit.Host.Workers;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Conduit.Host.Scale;

/// <summary>
/// <c>conduit worker --nats URL</c>: pulls jobs from the work queue, <c>slots</c> at a time, and runs each in a
/// <see cref="WorkerProcess"/> of its own, as a local server does. While a job trains its message is kept in progress;
/// a job that ends is acked (a deterministic failure terminated, never redelivered); a job whose process died is
/// handed back for the next delivery, which resumes from the last checkpoint. If this worker dies, JetStream
/// redelivers its jobs when the ack wait runs out.
/// </summary>
internal sealed class NatsWorker(NatsConnection nats, WorkerLaunch launch, int slots)
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
        await using var heartbeat = await NatsHeartbeat.StartAsync(_js, () => Info(slots)).ConfigureAwait(false);
        Task control = ListenForCancelAsync(stop);
        await Task.WhenAll(Enumerable.Range(0, slots).Select(_ => Task.Run(() => SlotAsync(consumer, ackWait, maxDeliver, stop), CancellationToken.None))).ConfigureAwait(false);
        await control.ConfigureAwait(false);
    }

    private async Task SlotAsync(INatsJSConsumer consumer, TimeSpan ackWait, long maxDeliver, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await NatsPull.NextAsync(consumer, stop).ConfigureAwait(false) is { } message
                && JsonSerializer.Deserialize<NatsJob>(message.Data!, Json) is { } job)
            {
                await RunOneAsync(message, job, ackWait, (int)maxDeliver, stop).ConfigureAwait(false);
            }
        }
    }

    private async Task RunOneAsync(INatsJSMsg<byte[]> message, NatsJob job, TimeSpan ackWait, int maxDeliver, CancellationToken stop)
    {
        int attempt = (int)(message.Metadata?.NumDelivered ?? 1);
        if (!File.Exists(job.JobFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(job.JobFile)!);
            await File.WriteAllTextAsync(job.JobFile, job.Document, CancellationToken.None).ConfigureAwait(false);
        }
        using var events = new NatsEventPublisher(_js, job.Id, attempt, _id);
        using WorkerProcess process = WorkerProcess.Start(launch, job.JobFile, job.Resume || attempt > 1, events.Publish);
        lock (_running)
        {
            _running[job.Id] = process;
        }
        using var progress = new Timer(_ => _ = message.AckProgressAsync().AsTask(), null, ackWait / 3, ackWait / 3);
        using CancellationTokenRegistration leaving = stop.Register(() => process.Send("interrupt"));
        WorkerExit exit = await process.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        lock (_running)
        {
            _running.Remove(job.Id);
        }
        await progress.DisposeAsync().ConfigureAwait(false);
        if (exit.End is { Status: "interrupted" })
        {
            await message.NakAsync().ConfigureAwait(false); // this worker is leaving: another continues from the checkpoint
        }
        else if (exit.End is { } end)
        {
            events.Publish("end", JsonSerializer.Serialize(end, Json));
            await (end.Status == "failed" ? message.AckTerminateAsync() : message.AckAsync()).ConfigureAwait(false);
        }
        else if (attempt >= maxDeliver)
        {
            var failed = new WorkerEnd("failed", $"{exit.Describe()}; gave up after {attempt} attempt(s) (--max-attempts {maxDeliver})", null, null);
            events.Publish("end", JsonSerializer.Serialize(failed, Json));
            await message.AckTerminateAsync().ConfigureAwait(false);
        }
        else
        {
            events.Publish("retry", JsonSerializer.Serialize(new { Attempt = attempt + 1, MaxAttempts = maxDeliver, Reason = exit.Describe() }, Json));
            await message.NakAsync().ConfigureAwait(false);
        }
        await events.FlushAsync().ConfigureAwait(false);
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
