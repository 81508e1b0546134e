using Conduit.Data;

namespace Conduit.Host.Inference;

/// <summary>
/// What a person said about how to read a model — <c>predict</c>'s options or the sidecar file beside the model
/// (<see cref="ModelSidecar"/>) — each null when not said. <see cref="ModelInterpretation"/> fills in the rest from the
/// model's metadata and its output's name.
/// </summary>
public sealed record ModelHints
{
    /// <summary>Nothing said.</summary>
    public static ModelHints None { get; } = new();

    /// <summary><c>task</c>: classification or regression.</summary>
    public TargetKind? Task { get; init; }

    /// <summary><c>classes</c>: the class names in output order.</summary>
    public ClassList? Classes { get; init; }

    /// <summary><c>input</c>: the input that takes the features.</summary>
    public string? Input { get; init; }

    /// <summary><c>output</c>: the output to read.</summary>
    public string? Output { get; init; }

    /// <summary><c>output_kind</c>: whether a classifier's output holds probabilities or logits.</summary>
    public OutputKind? OutputKind { get; init; }

    /// <summary><c>scale</c>: every feature is multiplied by it (after <see cref="Center"/> is subtracted).</summary>
    public float? Scale { get; init; }

    /// <summary><c>center</c>: subtracted from every feature first.</summary>
    public float? Center { get; init; }

    /// <summary><c>preprocess</c>: per-feature mean and standard deviation, applied after scale and center.</summary>
    public FeatureStatistics? Statistics { get; init; }

    /// <summary>These hints, with <paramref name="fallback"/>'s wherever these say nothing.</summary>
    public ModelHints Over(ModelHints fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new ModelHints
        {
            Task = Task ?? fallback.Task,
            Classes = Classes ?? fallback.Classes,
            Input = Input ?? fallback.Input,
            Output = Output ?? fallback.Output,
            OutputKind = OutputKind ?? fallback.OutputKind,
            Scale = Scale ?? fallback.Scale,
            Center = Center ?? fallback.Center,
            Statistics = Statistics ?? fallback.Statistics,
        };
    }
}

/// <summary>Class names in output order, and where they were given (for messages).</summary>
/// <param name="Names">The names.</param>
/// <param name="Source">The option or file that gave them: <c>--classes</c>, <c>model.onnx.json: classes</c>.</param>
public sealed record ClassList(IReadOnlyList<string> Names, string Source);

/// <summary>Per-feature statistics a model was trained behind: feature <c>i</c> becomes <c>(x - Mean[i]) / Std[i]</c>.</summary>
/// <param name="Mean">Per feature: what is subtracted.</param>
/// <param name="Std">Per feature: what the difference is divided by (never 0).</param>
/// <param name="Source">The file or key that gave them (for messages).</param>
public sealed record FeatureStatistics(IReadOnlyList<float> Mean, IReadOnlyList<float> Std, string Source);
