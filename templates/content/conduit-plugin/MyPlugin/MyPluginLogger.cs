using System.Text.Json;
using Conduit.Messages;
using Conduit.Tracking;
using Conduit.Training;

namespace MyPlugin;

/// <summary>
/// Writes each run's metrics as JSON lines to <c>&lt;run folder&gt;/PLUGIN_ID_VALUE.jsonl</c>. A job turns it on with
/// <c>"loggers": ["PLUGIN_ID_VALUE"]</c>. The host creates one per run (it is scoped) and calls it from one background
/// task, in publish order, so its state is its run's alone.
/// </summary>
public sealed class MyPluginLogger(RunContext context) : IExperimentLogger
{
    private StreamWriter? _writer;

    /// <inheritdoc/>
    public string Name => "PLUGIN_ID_VALUE";

    /// <inheritdoc/>
    public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        // <root>/<job name>/version_<n>/, as Lightning's loggers lay out their files; the same folder on resume.
        string folder = context.LoggerDirectory(Name);
        _writer ??= new StreamWriter(Path.Combine(folder, "PLUGIN_ID_VALUE.jsonl"), append: true);
        return Write(new { @event = "run_started", run = run.RunId, job = run.Name });
    }

    /// <inheritdoc/>
    public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Write(new { @event = "metrics", step = metrics.Step, epoch = metrics.Epoch, values = metrics.Metrics });
    }

    /// <inheritdoc/>
    /// <remarks>Called before a checkpoint is committed: what the checkpoint covers must be on disk.</remarks>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await Write(new { @event = "run_ended", status = run.Status.ToString() });
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }
    }

    private async ValueTask Write(object line)
    {
        if (_writer is not null)
        {
            await _writer.WriteLineAsync(JsonSerializer.Serialize(line));
            await _writer.FlushAsync();
        }
    }
}
