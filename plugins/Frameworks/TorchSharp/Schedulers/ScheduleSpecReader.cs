using System.Globalization;
using Conduit.Configuration;

namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary>
/// Reads and validates <c>optimizer.scheduler</c>: a section with a <c>type</c>, or just the type's name
/// (<c>"scheduler": "cosine"</c>).
/// </summary>
internal static class ScheduleSpecReader
{
    private static readonly string[] TypeNames = ["none", "step", "cosine", "one_cycle", "reduce_on_plateau"];

    /// <summary>The schedule's factory, or null when the section has problems (recorded in its reader).</summary>
    /// <param name="scheduler">The <c>optimizer.scheduler</c> section.</param>
    /// <param name="options">The session's options: the run's length for cosine and one-cycle.</param>
    /// <param name="learningRate">The optimizer's learning rate, one-cycle's default peak.</param>
    public static ScheduleFactory? Read(SettingsReader scheduler, TrainingSessionOptions options, double learningRate)
    {
        int before = scheduler.Problems.Count;
        string? type = ReadType(scheduler);
        if (type is null)
        {
            return null;
        }
        ScheduleFactory? factory = type switch
        {
            "step" => Step(scheduler),
            "cosine" => Cosine(scheduler, options),
            "one_cycle" => OneCycle(scheduler, options, learningRate),
            "reduce_on_plateau" => ReduceOnPlateau(scheduler),
            _ => groups => new ConstantSchedule(groups),
        };
        return scheduler.Problems.Count > before ? null : factory;
    }

    private static string? ReadType(SettingsReader scheduler)
    {
        if (scheduler.Value is not { } word)
        {
            return scheduler.String("type") is null ? "none" : scheduler.Choice("type", null, TypeNames);
        }
        string normalized = word.ToLowerInvariant().Replace('-', '_');
        if (TypeNames.Contains(normalized, StringComparer.Ordinal))
        {
            return normalized;
        }
        // The section is the value here, so the problem is reported against the section's own name.
        scheduler.Problem($"'{word}' is not allowed; expected one of {string.Join(", ", TypeNames)}");
        return null;
    }

    private static ScheduleFactory? Step(SettingsReader scheduler)
    {
        if (!scheduler.Exists("step_size"))
        {
            scheduler.Problem("step_size", "is missing; expected the epochs between decays, an integer of at least 1");
            return null;
        }
        int stepSize = scheduler.Int("step_size", 1, 1);
        double gamma = scheduler.Double("gamma", 0.1, SettingRange.Positive);
        return groups => new StepSchedule(groups, stepSize, gamma);
    }

    private static ScheduleFactory? Cosine(SettingsReader scheduler, TrainingSessionOptions options)
    {
        if (!scheduler.Exists("t_max") && options.MaxEpochs < 1)
        {
            scheduler.Problem("t_max", "is missing and trainer.max_epochs sets no limit; expected the epochs of the half cosine, an integer of at least 1");
            return null;
        }
        int tMax = scheduler.Int("t_max", Math.Max(1, options.MaxEpochs), 1);
        double etaMin = scheduler.Double("eta_min", 0, SettingRange.NonNegative);
        return groups => new CosineSchedule(groups, tMax, etaMin);
    }

    private static ScheduleFactory? OneCycle(SettingsReader scheduler, TrainingSessionOptions options, double learningRate)
    {
        double maxLr = scheduler.Double("max_lr", learningRate, SettingRange.Positive);
        double pctStart = scheduler.Double("pct_start", 0.3, SettingRange.Fraction);
        double divFactor = scheduler.Double("div_factor", 25, SettingRange.Positive);
        double finalDivFactor = scheduler.Double("final_div_factor", 1e4, SettingRange.Positive);
        long runSteps = options.StepsPerEpoch > 0 && options.MaxEpochs > 0 ? options.StepsPerEpoch * options.MaxEpochs : 0;
        if (!scheduler.Exists("total_steps") && runSteps < 2)
        {
            (long perEpoch, int epochs) = (options.StepsPerEpoch, options.MaxEpochs);
            scheduler.Problem("total_steps", string.Create(CultureInfo.InvariantCulture,
                $"is missing and the run's length is unknown (steps per epoch {perEpoch}, max epochs {epochs}); expected the optimizer steps of the cycle, an integer of at least 2, or a dataset of known size with trainer.max_epochs"));
            return null;
        }
        long totalSteps = scheduler.Int("total_steps", (int)Math.Min(int.MaxValue, runSteps), 2);
        return groups => new OneCycleSchedule(groups, maxLr, pctStart, divFactor, finalDivFactor, totalSteps);
    }

    private static ScheduleFactory? ReduceOnPlateau(SettingsReader scheduler)
    {
        string monitor = scheduler.String("monitor") ?? "val_loss";
        bool maximize = (scheduler.String("mode") is null ? "min" : scheduler.Choice("mode", null, ["min", "max"])) == "max";
        double factor = scheduler.Double("factor", 0.1, SettingRange.Fraction);
        int patience = scheduler.Int("patience", 10, 0);
        double threshold = scheduler.Double("threshold", 1e-4, SettingRange.NonNegative);
        int cooldown = scheduler.Int("cooldown", 0, 0);
        double minLr = scheduler.Double("min_lr", 0, SettingRange.NonNegative);
        return groups => new ReduceOnPlateauSchedule(groups, monitor, maximize, factor, patience, threshold, cooldown, minLr);
    }
}
