using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Conduit.Messages;
using Conduit.Tracking;

namespace Conduit.Loggers.Csv;

/// <summary>
/// Writes Lightning's CSVLogger files, so scripts written for Lightning's output read ours:
/// <c>metrics.csv</c> with a row per logging step (step, epoch, then every metric in name order; empty where a
/// metric was not logged at that step) and <c>hparams.yaml</c> with the job's settings.
/// </summary>
public sealed class CsvExperimentLogger : IExperimentLogger
{
    private readonly ConcurrentDictionary<string, MetricsFile> _runs = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Name => "csv";

    /// <inheritdoc/>
    public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        string folder = RunFolders.For(run, Name);
        File.WriteAllText(Path.Combine(folder, "hparams.yaml"), HyperparametersYaml(run.Hyperparameters), Encoding.UTF8);
        _runs[run.RunId] = MetricsFile.Open(Path.Combine(folder, "metrics.csv"), run.ResumedAtStep);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (_runs.TryGetValue(metrics.RunId, out MetricsFile? file))
        {
            file.Add(metrics.Step, metrics.Epoch, metrics.Metrics);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask LogArtifactAsync(ArtifactSaved artifact, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_runs.TryRemove(run.RunId, out MetricsFile? file))
        {
            file.Dispose();
        }
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
