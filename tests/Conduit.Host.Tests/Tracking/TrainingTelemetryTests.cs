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

    [Fact]
    public async Task Training_shows_as_dotnet_metrics_and_a_run_activity()
    {
        long batches = 0;
        long examples = 0;
        var epochs = new List<double>();
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
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "conduit.training.batches") Interlocked.Add(ref batches, value);
            if (instrument.Name == "conduit.training.examples") Interlocked.Add(ref examples, value);
        });
        meters.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "conduit.training.epoch.duration") lock (epochs) { epochs.Add(value); }
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
        Assert.Equal(result.Losses.Count, batches);
        Assert.Equal(3 * 1257, examples); // three epochs of the training split: 1797 less 360 for test and 180 for validation
        Assert.Equal(3, epochs.Count);
    }
}
