using System.Globalization;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Data;

namespace Conduit.Host.Inference;

/// <summary>
/// How the host reads a model, whoever wrote it: the input that takes the features, the output it reads and what that
/// output holds (class probabilities, logits to softmax, or values), the class names, and the preprocessing applied to
/// raw features first. Resolved once per model, the same way for <c>predict</c> and <c>serve</c>: what a person said
/// (<see cref="ModelHints"/>: options, sidecar) first, then Conduit's metadata, then the output's name.
/// </summary>
/// <param name="Input">The input that takes the features.</param>
/// <param name="Output">The output read.</param>
/// <param name="OutputWidth">The output's columns per example.</param>
/// <param name="Kind">What the output holds.</param>
/// <param name="ClassNames">The class names in output order (classifiers); empty for values.</param>
/// <param name="Preprocessing">What is done to raw features before the model sees them.</param>
public sealed record ModelInterpretation(string Input, string Output, int OutputWidth, OutputKind Kind, IReadOnlyList<string> ClassNames, FeatureNormalizer Preprocessing)
{
    /// <summary>What was guessed rather than said, one line each, for a person to check (predict prints them on stderr).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Resolves how to read <paramref name="model"/>, opened from <paramref name="file"/>, given <paramref name="hints"/>.</summary>
    /// <exception cref="InvalidDataException">A name is not the model's, the output to read is ambiguous, or the hints do not fit the model; one line naming the value and what was expected.</exception>
    public static ModelInterpretation Resolve(IInferenceModel model, string file, ModelHints hints)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hints);
        ModelDescription description = model.Description;
        // A Conduit export's head is its first output (probabilities before label); anyone else's must be named.
        bool fromConduit = description.Metadata.TryGetValue(ModelMetadataKeys.Target, out string? target);
        TensorDescription input = Choose(description.Inputs, hints.Input, "input", file, firstOfSeveral: false);
        TensorDescription output = Choose(description.Outputs, hints.Output, "output", file, firstOfSeveral: fromConduit);
        int width = Width(output) ?? ProbeWidth(model, file, output);

        var notes = new List<string>();
        TargetKind? task = hints.Task
            ?? (target is null ? (TargetKind?)null : ModelHintValues.Task(target, $"{file}: metadata '{ModelMetadataKeys.Target}'"))
            ?? (hints.OutputKind is not null || hints.Classes is not null ? TargetKind.Classification : (TargetKind?)null);
        OutputKind? named = Recognise(output.Name);
        OutputKind kind = task switch
        {
            TargetKind.Regression => OutputKind.Values,
            TargetKind.Classification => hints.OutputKind ?? named ?? (fromConduit ? OutputKind.Probabilities : Noted(notes, OutputKind.Logits,
                $"{file}: reading output '{output.Name}' as logits (softmax applied); --output-kind probabilities if it holds probabilities already")),
            _ => named ?? (width > 1 && !fromConduit ? Noted(notes, OutputKind.Values,
                $"{file}: reading output '{output.Name}' ({width} columns) as values; --task classification reads them as class scores") : OutputKind.Values),
        };
        IReadOnlyList<string> classes = kind == OutputKind.Values ? [] : ResolveClasses(model, hints, file, output, width);
        return new ModelInterpretation(input.Name, output.Name, width, kind, classes, ResolvePreprocessing(hints, checked((int)model.InputShape.ElementCount)))
        {
            Notes = notes,
        };
    }

    /// <summary>The kind of a classifier output by its usual names; null for any other name.</summary>
    public static OutputKind? Recognise(string outputName) => outputName.ToLowerInvariant() switch
    {
        "probabilities" or "probs" or "softmax" => OutputKind.Probabilities,
        "logits" or "scores" => OutputKind.Logits,
        _ => null,
    };

    /// <summary>The one-line refusal of a name that is none of the model's, or of several with none named.</summary>
    public static string NotChosen(string file, string what, IEnumerable<string> names, string? name) =>
        name is not null
            ? $"{file}: the model has no {what} '{name}'; its {what}s: {string.Join(", ", names)}"
            : $"{file}: the model has {names.Count()} {what}s ({string.Join(", ", names)}); name one with --{what} NAME (or \"{what}\" in {Path.GetFileName(file)}.json)";

    private static TensorDescription Choose(IReadOnlyList<TensorDescription> values, string? name, string what, string file, bool firstOfSeveral) =>
        (name is not null ? values.FirstOrDefault(v => v.Name == name)
            : values.Count == 1 || (firstOfSeveral && values.Count > 0) ? values[0]
            : null)
        ?? throw new InvalidDataException(NotChosen(file, what, values.Select(v => v.Name), name));

    private static OutputKind Noted(List<string> notes, OutputKind kind, string note)
    {
        notes.Add(note);
        return kind;
    }

    private static int? Width(TensorDescription output) =>
        output.Dimensions is [_, var width] && int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;

    // An output without a fixed width (a dynamic axis, or no shape recorded) shows it on one example of zeros.
    private static int ProbeWidth(IInferenceModel model, string file, TensorDescription output)
    {
        try
        {
            TensorBuffer<float> probe = model.Predict(new TensorBuffer<float>(new float[model.InputShape.ElementCount], model.InputShape.Prepend(1)));
            return probe.Shape.Rank == 2 ? probe.Shape[1] : throw new InvalidDataException($"{file}: output '{output.Name}' gives shape {probe.Shape} for one example; expected [1, columns]");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{file}: cannot tell how many columns output '{output.Name}' ({output}) has: {e.Message}", e);
        }
    }

    private static IReadOnlyList<string> ResolveClasses(IInferenceModel model, ModelHints hints, string file, TensorDescription output, int width)
    {
        (IReadOnlyList<string> names, string source) = hints.Classes is { } given ? (given.Names, given.Source)
            : model.ClassNames.Count > 0 ? (model.ClassNames, $"{file}: metadata '{ModelMetadataKeys.ClassNames}'")
            : ([.. Enumerable.Range(0, width).Select(i => i.ToString(CultureInfo.InvariantCulture))], "");
        return names.Count == width ? names
            : throw new InvalidDataException($"{source}: {names.Count} class names, but output '{output.Name}' of {file} has {width} columns; expected one name per column");
    }

    // Scale and center first, then the per-feature statistics: ((x - center) * scale - mean[i]) / std[i], as one normalizer.
    private static FeatureNormalizer ResolvePreprocessing(ModelHints hints, int features)
    {
        if (hints.Scale is null && hints.Center is null && hints.Statistics is null)
        {
            return FeatureNormalizer.None;
        }
        float scale = hints.Scale ?? 1, center = hints.Center ?? 0;
        if (hints.Statistics is { } statistics && statistics.Mean.Count != features)
        {
            throw new InvalidDataException($"{statistics.Source}: {statistics.Mean.Count} means and standard deviations, but the model takes {features} features per example; expected one per feature");
        }
        var centers = new float[features];
        var scales = new float[features];
        for (int i = 0; i < features; i++)
        {
            centers[i] = hints.Statistics is { } s ? center + s.Mean[i] / scale : center;
            scales[i] = hints.Statistics is { } t ? t.Std[i] / scale : 1 / scale;
        }
        return FeatureNormalizer.FromState(new NormalizerState(NormalizationKind.Standardize, centers, scales));
    }
}
