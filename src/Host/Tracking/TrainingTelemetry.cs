using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Conduit.Messages;
using Conduit.Messaging;

namespace Conduit.Host.Tracking;

/// <summary>
/// Training as .NET telemetry, so OpenTelemetry (or <c>dotnet-counters</c>) picks it up without a plugin of ours:
/// the meter <c>Conduit.Training</c> counts batches and examples, times epochs and reports each logged metric's last
/// value; the activity source <c>Conduit.Training</c> traces each run, with its epochs as events.
/// </summary>
internal sealed class TrainingTelemetry :
    IMessageHandler<RunStarted>, IMessageHandler<BatchEnded>, IMessageHandler<EpochEnded>, IMessageHandler<MetricsLogged>, IMessageHandler<RunEnded>, IDisposable
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "Conduit.Training";

    private static readonly ActivitySource Source = new(Name);

    // A meter per host, disposed with it: instruments (and the gauge's callback) do not outlive the host.
    private readonly Meter _meter = new(Name, typeof(TrainingTelemetry).Assembly.GetName().Version?.ToString());
    private readonly Counter<long> _batches;
    private readonly Counter<long> _examples;
    private readonly Histogram<double> _epochDuration;
    private readonly ConcurrentDictionary<(string Run, string Metric), double> _last = new();
    private readonly ConcurrentDictionary<string, Activity> _runs = new(StringComparer.Ordinal);

    public TrainingTelemetry()
    {
        _batches = _meter.CreateCounter<long>("conduit.training.batches", "{batch}", "Training batches stepped.");
        _examples = _meter.CreateCounter<long>("conduit.training.examples", "{example}", "Training examples seen.");
        _epochDuration = _meter.CreateHistogram<double>("conduit.training.epoch.duration", "s", "Wall time of an epoch, validation included.");
        _meter.CreateObservableGauge("conduit.training.metric", () => _last.Select(m => new Measurement<double>(m.Value,
            new KeyValuePair<string, object?>("run.id", m.Key.Run), new KeyValuePair<string, object?>("metric", m.Key.Metric))),
            description: "The last value of each logged metric (loss, accuracy, learning rate).");
    }

    public void Dispose() => _meter.Dispose();

    public void Handle(RunStarted message)
    {
        Activity? previous = Activity.Current;
        Activity? run = Source.CreateActivity("conduit.run", ActivityKind.Internal)?
            .SetTag("run.id", message.RunId).SetTag("run.name", message.Name).SetTag("run.stage", message.Stage)
            .SetStartTime(message.StartedAt.UtcDateTime)
            .Start();
        Activity.Current = previous; // the run's span is not the ambient parent of whatever the handler's caller does next
        if (run is not null)
        {
            _runs[message.RunId] = run;
        }
    }

    public void Handle(BatchEnded message)
    {
        var run = new KeyValuePair<string, object?>("run.id", message.RunId);
        _batches.Add(1, run);
        _examples.Add(message.BatchSize, run);
    }

    public void Handle(EpochEnded message)
    {
        _epochDuration.Record(message.Duration.TotalSeconds, new KeyValuePair<string, object?>("run.id", message.RunId));
        if (_runs.TryGetValue(message.RunId, out Activity? run))
        {
            run.AddEvent(new ActivityEvent("epoch", tags: new ActivityTagsCollection(message.Metrics.Select(m => new KeyValuePair<string, object?>(m.Key, m.Value)))
            {
                ["epoch"] = message.Epoch,
            }));
        }
    }

    public void Handle(MetricsLogged message)
    {
        foreach (var (name, value) in message.Metrics)
        {
            _last[(message.RunId, name)] = value;
        }
    }

    public void Handle(RunEnded message)
    {
        if (_runs.TryRemove(message.RunId, out Activity? run))
        {
            run.SetTag("run.status", message.Status.ToString().ToLowerInvariant());
            run.SetStatus(message.Status == RunStatus.Failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok, message.Error);
            run.Stop();
        }
    }
}
