using System.Diagnostics;
using System.Globalization;
using System.Text;
using Conduit.Messages;
using Conduit.Tracking;
using Conduit.Training;

namespace Conduit.Loggers.TensorBoard;

/// <summary>
/// Writes a TensorBoard event file per run start in the run's version folder: the hyperparameters (as text and for
/// the hparams dashboard), every logged metric as a scalar at its global step, and the outcome. A resumed run starts
/// a new file with a session restart just after its checkpoint's step, so TensorBoard shows each step once.
/// </summary>
/// <remarks>Created per run (a scoped service): its state is its run's alone.</remarks>
public sealed class TensorBoardExperimentLogger(RunContext context) : IExperimentLogger
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    private EventFileWriter? _writer;
    private long _flushed;
    private (long Step, HashSet<string> Tags) _recordedAtResume = (-1, []);

    /// <inheritdoc/>
    public string Name => "tensorboard";

    /// <inheritdoc/>
    public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        string folder = context.LoggerDirectory(Name);
        EventFileWriter writer = NewFile(folder, run.StartedAt);
        long step = run.ResumedAtStep ?? 0;
        if (run.ResumedAtStep is not null)
        {
            // The checkpoint's own step stays: what it covers was logged before it (TensorBoard keeps steps below a restart's).
            _recordedAtResume = (step, RecordedScalars.At(folder, step));
            writer.WriteRestart(step + 1);
        }
        writer.WriteSummary(step, Summaries.Text("hparams", Table(run)));
        writer.WriteSummary(step, Summaries.HyperparametersStart(run.Hyperparameters, run.StartedAt));
        writer.Flush();
        _writer?.Dispose();
        (_writer, _flushed) = (writer, Stopwatch.GetTimestamp());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        // What a resumed run logs again at its checkpoint's step (the test after a finished fit) is recorded there already.
        IEnumerable<KeyValuePair<string, double>> values = metrics.Step == _recordedAtResume.Step
            ? [.. metrics.Metrics.Where(m => !_recordedAtResume.Tags.Contains(m.Key))]
            : metrics.Metrics;
        if (_writer is not null && values.Any())
        {
            _writer.WriteSummary(metrics.Step, Summaries.Scalars(values));
            if (Stopwatch.GetElapsedTime(_flushed) >= FlushEvery)
            {
                _writer.Flush();
                _flushed = Stopwatch.GetTimestamp();
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _writer?.Flush();
        _flushed = Stopwatch.GetTimestamp();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_writer is not null)
        {
            _writer.WriteSummary(0, Summaries.HyperparametersEnd(run.Status is RunStatus.Completed or RunStatus.Stopped));
            _writer.Dispose();
            _writer = null;
        }
        return ValueTask.CompletedTask;
    }

    // TensorBoard's naming; the trailing number makes a restart within the same second a file of its own.
    private static EventFileWriter NewFile(string folder, DateTimeOffset started)
    {
        for (int sequence = 0; ; sequence++)
        {
            string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
                $"events.out.tfevents.{started.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.{sequence}"));
            if (!File.Exists(path))
            {
                return new EventFileWriter(path);
            }
        }
    }

    private static string Table(RunStarted run)
    {
        var text = new StringBuilder("| setting | value |\n|---|---|\n");
        foreach (var (key, value) in run.Hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {key} | {value.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }
        return text.ToString();
    }
}
