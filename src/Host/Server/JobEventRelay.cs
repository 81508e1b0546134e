using System.Collections.Concurrent;
using System.Diagnostics;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Server;

/// <summary>
/// Carries the bus's training messages to whoever follows the run that sent them (a worker's output): progress (at most ten a
/// second per job), metrics, epochs, validation, checkpoints, and the run's start (name, hyperparameters, the step it
/// resumed at) and end status, which a NATS server needs to record the run in its own store. Handlers run on the
/// training thread, so they only serialize and append.
/// </summary>
public sealed class JobEventRelay : IDisposable
{
    private static readonly long ProgressInterval = Stopwatch.Frequency / 10;
    private readonly ConcurrentDictionary<string, (Action<string, object> Send, long[] LastProgress)> _runs = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];

    /// <summary>Subscribes to <paramref name="services"/>' bus.</summary>
    public JobEventRelay(IServiceProvider services)
    {
        _subscriptions.Add(Subscribe<RunStarted>(services, r => Send(r.RunId, "run-started", new { r.RunId, r.Name, r.Stage, r.StartedAt, r.Hyperparameters, r.ResumedAtStep })));
        _subscriptions.Add(Subscribe<RunEnded>(services, r => Send(r.RunId, "run-ended", new { r.RunId, Status = r.Status.ToString().ToLowerInvariant() })));
        _subscriptions.Add(Subscribe<BatchEnded>(services, b => Progress(b)));
        _subscriptions.Add(Subscribe<MetricsLogged>(services, m => Send(m.RunId, "metrics", new { m.Step, m.Epoch, m.Metrics })));
        _subscriptions.Add(Subscribe<ValidationEnded>(services, v => Send(v.RunId, "validation", new { v.Epoch, v.GlobalStep, v.Metrics })));
        _subscriptions.Add(Subscribe<EpochEnded>(services, e => Send(e.RunId, "epoch", new { e.Epoch, e.GlobalStep, e.Metrics, Seconds = e.Duration.TotalSeconds })));
        _subscriptions.Add(Subscribe<CheckpointSaved>(services, c => Send(c.RunId, "checkpoint", new { c.Epoch, c.GlobalStep, File = Path.GetFileName(c.Path) })));
    }

    /// <summary>Routes <paramref name="runId"/>'s messages to <paramref name="send"/> (event type, payload).</summary>
    public void Register(string runId, Action<string, object> send) => _runs[runId] = (send, [0]);

    /// <summary>Stops routing <paramref name="runId"/>.</summary>
    public void Unregister(string runId) => _runs.TryRemove(runId, out _);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void Progress(BatchEnded batch)
    {
        if (!_runs.TryGetValue(batch.RunId, out var run))
        {
            return;
        }
        long now = Stopwatch.GetTimestamp();
        if (now - run.LastProgress[0] < ProgressInterval && batch.BatchIndex + 1 != batch.BatchesInEpoch)
        {
            return;
        }
        run.LastProgress[0] = now;
        run.Send("progress", new { batch.Epoch, Batch = batch.BatchIndex + 1, batch.BatchesInEpoch, batch.GlobalStep, batch.Loss });
    }

    private void Send(string runId, string type, object payload)
    {
        if (_runs.TryGetValue(runId, out var run))
        {
            run.Send(type, payload);
        }
    }

    private static IDisposable Subscribe<T>(IServiceProvider services, Action<T> handler) =>
        services.GetRequiredService<ISubscriber<T>>().Subscribe(handler);
}
