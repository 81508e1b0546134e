using System.Diagnostics;
using System.Diagnostics.Metrics;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;
using Conduit.Host.Tracking;

namespace Conduit.Host.Tests.Tracking;

[Collection(TorchCollection.Name)]
public sealed class TrainingTelemetryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string RunOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "run.id")
            {
                return (string)tag.Value!;
            }
        }
        return "";
    }

    [Fact]
    public async Task Training_shows_as_dotnet_metrics_and_a_run_activity()
    {
        // Other tests may train at the same time: measurements are kept by run and only this run's are checked.
        var batches = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var examples = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var epochs = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TrainingTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string run = RunOf(tags);
            if (instrument.Name == "conduit.training.batches") batches.AddOrUpdate(run, value, (_, sum) => sum + value);
            if (instrument.Name == "conduit.training.examples") examples.AddOrUpdate(run, value, (_, sum) => sum + value);
        });
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "conduit.training.epoch.duration" && value > 0) epochs.AddOrUpdate(RunOf(tags), 1, (_, n) => n + 1);
        });
        meters.Start();
        var stopped = new List<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TrainingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) { stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(activities);

        var result = await TrainingHarness.RunAsync(TrainingHarness.WriteDigitsJob(_temp.Path), []);

        Activity run = Assert.Single(stopped, a => (string?)a.GetTagItem("run.id") == result.Outcome.RunId);
        Assert.Equal("completed", run.GetTagItem("run.status"));
        Assert.Equal(3, run.Events.Count(e => e.Name == "epoch"));
        string id = result.Outcome.RunId;
        Assert.Equal(result.Losses.Count, batches[id]);
        Assert.Equal(3 * 1257, examples[id]); // three epochs of the training split: 1797 less 360 for test and 180 for validation
        Assert.Equal(3, epochs[id]);
    }
}
