using System.Globalization;
using Conduit.Configuration;
using Conduit.Frameworks.TorchSharp.Models;
using Conduit.Frameworks.TorchSharp.Optimizers;
using Conduit.Frameworks.TorchSharp.Schedulers;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>Validates a session's options and settings, and reports every problem at once.</summary>
internal static class SessionPlanReader
{
    /// <summary>The session's plan.</summary>
    /// <exception cref="ArgumentException">A setting is not allowed; the message has one line per problem, each naming the key.</exception>
    public static SessionPlan Read(TrainingSessionOptions options, IReadOnlyList<ITorchArchitecture> architectures)
    {
        ArgumentNullException.ThrowIfNull(options.Model, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Optimizer, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Schema, nameof(options));
        // Problems of the model and optimizer sections go to their reader; those of the trainer's options to this list.
        var problems = new List<string>();
        var before = SettingsProblems.Mark(options);
        ModelSpec? model = ModelSpecReader.Read(options.Model, options.Schema, architectures);
        OptimizerSpec? optimizer = OptimizerSpecReader.Read(options.Optimizer);
        ScheduleFactory? schedule = ScheduleSpecReader.Read(options.Optimizer.Section("scheduler"), options, optimizer?.LearningRate ?? 0.001);
        GradientClipping clipping = ReadClipping(options, problems);
        DeviceRequest? device = DeviceRequest.Parse(options.Device);
        if (device is null)
        {
            problems.Add($"device: '{options.Device}' is not allowed; expected cpu, cpu:0, cuda or cuda:N");
        }
        if (options.AccumulateGradBatches < 1)
        {
            problems.Add(Invariant($"trainer.accumulate_grad_batches: '{options.AccumulateGradBatches}' is not allowed; expected an integer of at least 1"));
        }
        if (options.Threads < 0)
        {
            problems.Add(Invariant($"trainer.num_threads: '{options.Threads}' is not allowed; expected 0 (the default) or more"));
        }
        List<string> found = [.. SettingsProblems.Since(options, before), .. problems];
        if (found.Count > 0 || model is null || optimizer is null || schedule is null || device is null)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, found));
        }
        return new SessionPlan(model, optimizer, schedule, clipping, device);
    }

    private static GradientClipping ReadClipping(TrainingSessionOptions options, List<string> problems)
    {
        double threshold = options.GradientClipValue;
        if (!double.IsFinite(threshold) || threshold < 0)
        {
            problems.Add(Invariant($"trainer.gradient_clip_val: '{threshold}' is not allowed; expected a number of at least 0 (0 turns clipping off)"));
            return default;
        }
        switch ((options.GradientClipAlgorithm ?? "norm").Trim().ToLowerInvariant())
        {
            case "norm":
                return new GradientClipping(threshold > 0 ? ClipKind.Norm : ClipKind.None, threshold);
            case "value":
                return new GradientClipping(threshold > 0 ? ClipKind.Value : ClipKind.None, threshold);
            default:
                problems.Add($"trainer.gradient_clip_algorithm: '{options.GradientClipAlgorithm}' is not allowed; expected one of norm, value");
                return default;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
