using System.CommandLine;
using Conduit.Host.Inference;

namespace Conduit.Host.Cli;

/// <summary>
/// <c>predict</c>'s options that say how to read a model which does not say it itself (one from elsewhere): the same
/// names as the keys of the sidecar file beside it (<see cref="ModelSidecar"/>), which they override.
/// </summary>
internal sealed class ModelHintOptions
{
    public Option<string?> Task { get; } = new("--task") { Description = "classification or regression (default: the model's metadata, else its output's name: probabilities, probs, softmax, logits, scores are classifiers)." };

    public Option<string?> Classes { get; } = new("--classes") { Description = "The class names in output order: a file with one per line, or a comma list (cat,dog); default: the model's, else 0, 1, ..." };

    public Option<string?> Input { get; } = new("--input") { Description = "The model input that takes the features, when it has several." };

    public Option<string?> Output { get; } = new("--output") { Description = "The model output to read, when it has several." };

    public Option<string?> OutputKind { get; } = new("--output-kind") { Description = "What a classifier's output holds: probabilities, or logits (a softmax is applied)." };

    public Option<string?> Scale { get; } = new("--scale") { Description = "Multiply every feature by this before the model sees it (after --center), e.g. 0.0625." };

    public Option<string?> Center { get; } = new("--center") { Description = "Subtract this from every feature first." };

    public Option<FileInfo?> Preprocess { get; } = new("--preprocess") { Description = "A JSON file {\"mean\": [...], \"std\": [...]}: per feature, (x - mean) / std, after --center and --scale." };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [Task, Classes, Input, Output, OutputKind, Scale, Center, Preprocess];

    /// <summary>What the command line says; every bad value refused as a usage error naming its option.</summary>
    /// <exception cref="CommandException">A value is not allowed.</exception>
    public ModelHints Read(ParseResult parse)
    {
        try
        {
            return new ModelHints
            {
                Task = parse.GetValue(Task) is { } task ? ModelHintValues.Task(task, "--task") : null,
                Classes = parse.GetValue(Classes) is { } classes ? ModelHintValues.Classes(classes, "--classes", Directory.GetCurrentDirectory()) : null,
                Input = parse.GetValue(Input),
                Output = parse.GetValue(Output),
                OutputKind = parse.GetValue(OutputKind) is { } kind ? ModelHintValues.Kind(kind, "--output-kind") : null,
                Scale = parse.GetValue(Scale) is { } scale ? ModelHintValues.Number(scale, "--scale", nonZero: true) : null,
                Center = parse.GetValue(Center) is { } center ? ModelHintValues.Number(center, "--center", nonZero: false) : null,
                Statistics = parse.GetValue(Preprocess) is { } file ? ModelHintValues.StatisticsFile(file.FullName, "--preprocess") : null,
            };
        }
        catch (InvalidDataException e)
        {
            throw new CommandException(e.Message, ExitCodes.Usage);
        }
    }
}
