using Conduit.Messages;
using Conduit.Tracking;
using Conduit.Training;

namespace Fixture.Faults;

/// <summary>
/// An experiment logger (<c>"loggers": ["faults"]</c>) that throws on the <c>loggers.faults.at</c>-th call (1-based)
/// of the hook <c>loggers.faults.hook</c> names, and on every later one: <c>run_started</c>, <c>metrics</c>,
/// <c>checkpoint</c>, <c>flush</c> or <c>run_ended</c>.
/// </summary>
public sealed class FaultyLogger : IExperimentLogger
{
    private readonly string _hook;
    private readonly int _at;
    private int _calls;

    public FaultyLogger(RunContext run)
    {
        var settings = run.LoggerSettings("faults");
        _hook = settings.Choice("hook", "none", "none", "run_started", "metrics", "checkpoint", "flush", "run_ended");
        _at = settings.Int("at", 1, 1);
    }

    public string Name => "faults";

    public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken) => Maybe("run_started");

    public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken) => Maybe("metrics");

    public ValueTask LogCheckpointAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken) => Maybe("checkpoint");

    public ValueTask FlushAsync(CancellationToken cancellationToken) => Maybe("flush");

    public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken) => Maybe("run_ended");

    private ValueTask Maybe(string hook)
    {
        if (hook == _hook && ++_calls >= _at)
        {
            throw new IOException($"injected fault in {hook} (call {_calls})");
        }
        return ValueTask.CompletedTask;
    }
}
