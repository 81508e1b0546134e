using Conduit.Configuration;
using Conduit.Data;
using Conduit.Host.Jobs;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;

namespace Conduit.Host.Training.Callbacks;

/// <summary>Builds the built-in callbacks a job's <c>callbacks</c> section asks for, validated before the first batch.</summary>
public static class CallbackFactory
{
    /// <summary>The metrics a run with this target and validation logs, for validating monitors.</summary>
    public static IReadOnlyList<string> LoggedMetrics(TargetKind target, bool validation)
    {
        string[] kinds = target switch
        {
            TargetKind.Classification => ["loss", "acc"],
            TargetKind.Regression => ["loss", "mae", "rmse"],
            _ => ["loss"],
        };
        var names = kinds.Select(k => $"train_{k}_epoch").ToList();
        if (validation)
        {
            names.AddRange(kinds.Select(k => $"val_{k}"));
        }
        return names;
    }

    /// <summary>Reads <c>callbacks</c> and creates the callbacks; problems are added to <paramref name="reader"/>.</summary>
    /// <param name="reader">A reader of the job root.</param>
    /// <param name="job">The job.</param>
    /// <param name="checkpointDirectory">Where ModelCheckpoint writes; null when checkpointing is off.</param>
    /// <param name="metrics">The metrics the run logs (see <see cref="LoggedMetrics"/>).</param>
    /// <param name="trainer">The run's trainer, which the callbacks use.</param>
    /// <param name="published">Where metrics the callbacks log go.</param>
    public static List<ITrainerCallback> Create(SettingsReader reader, JobDefinition job, string? checkpointDirectory, IReadOnlyList<string> metrics,
        ITrainerContext trainer, IPublisher<MetricsLogged> published)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(job);
        SettingsReader callbacks = reader.Section("callbacks");
        var created = new List<ITrainerCallback>();

        // Read even when checkpoints are off (fast_dev_run), so its keys are checked all the same.
        SettingsReader checkpoint = callbacks.Section("model_checkpoint");
        string? monitored = Monitor(checkpoint, null, metrics);
        var modelCheckpoint = new ModelCheckpoint(
            trainer,
            checkpointDirectory ?? "",
            monitored,
            Mode(checkpoint, monitored),
            checkpoint.Int("save_top_k", 1, -1, allowed: "-1 (all), 0 (none) or a count"),
            checkpoint.Bool("save_last", true),
            checkpoint.Int("every_n_epochs", 1, 1));
        if (checkpointDirectory is not null)
        {
            created.Add(modelCheckpoint);
        }
        if (callbacks.Exists("early_stopping"))
        {
            SettingsReader c = callbacks.Section("early_stopping");
            string monitor = Monitor(c, metrics.Contains("val_loss") ? "val_loss" : "train_loss_epoch", metrics)!;
            created.Add(new EarlyStopping(trainer, monitor, Mode(c, monitor), c.Int("patience", 3, 1), c.Double("min_delta", 0, SettingRange.NonNegative)));
        }
        if (callbacks.Exists("lr_monitor"))
        {
            SettingsReader c = callbacks.Section("lr_monitor");
            created.Add(new LearningRateMonitor(trainer, published, c.Choice("logging_interval", "epoch", "epoch", "step") == "step"));
        }
        return created;
    }

    private static string? Monitor(SettingsReader section, string? fallback, IReadOnlyList<string> metrics)
    {
        string? monitor = section.String("monitor", fallback);
        if (monitor is not null && !metrics.Contains(monitor))
        {
            section.Problem("monitor", $"'{monitor}' is not a metric this run logs; expected one of {string.Join(", ", metrics)}");
            return fallback;
        }
        return monitor;
    }

    // Accuracy-like metrics improve upwards; losses and errors downwards. An explicit mode wins.
    private static MonitorMode Mode(SettingsReader section, string? monitor)
    {
        string inferred = monitor is not null && monitor.Contains("acc", StringComparison.Ordinal) ? "max" : "min";
        return section.Choice("mode", inferred, "min", "max") == "max" ? MonitorMode.Max : MonitorMode.Min;
    }
}
