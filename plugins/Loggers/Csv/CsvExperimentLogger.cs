using System.Globalization;
using System.Text;
using Conduit.Messages;
using Conduit.Tracking;
using Conduit.Training;

namespace Conduit.Loggers.Csv;

/// <summary>
/// Writes Lightning's CSVLogger files, so scripts written for Lightning's output read ours:
/// <c>metrics.csv</c> with a row per logging step (step, epoch, then every metric in name order; empty where a
/// metric was not logged at that step) and <c>hparams.yaml</c> with the job's settings.
/// </summary>
/// <remarks>Created per run (a scoped service): its state is its run's alone.</remarks>
public sealed class CsvExperimentLogger(RunContext run) : IExperimentLogger
{
    private MetricsFile? _file;

    /// <inheritdoc/>
    public string Name => "csv";

    /// <inheritdoc/>
    public ValueTask RunStartedAsync(RunStarted started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        string folder = run.LoggerDirectory(Name);
        File.WriteAllText(Path.Combine(folder, "hparams.yaml"), HyperparametersYaml(started.Hyperparameters), Encoding.UTF8);
        _file?.Dispose(); // a stage that follows in the same run (test after fit) continues the file
        _file = MetricsFile.Open(Path.Combine(folder, "metrics.csv"), started.ResumedAtStep);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _file?.Add(metrics.Step, metrics.Epoch, metrics.Metrics);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _file?.Flush();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RunEndedAsync(RunEnded ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        _file?.Dispose();
        _file = null;
        return ValueTask.CompletedTask;
    }

    // Flat `key: value` lines; values quoted as YAML strings so that every reader sees them as written.
    private static string HyperparametersYaml(IReadOnlyDictionary<string, string> hyperparameters)
    {
        var yaml = new StringBuilder();
        foreach (var (key, value) in hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            yaml.Append(CultureInfo.InvariantCulture, $"{key}: \"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n");
        }
        return yaml.ToString();
    }
}
