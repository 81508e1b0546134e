using System.Text.Json;
using Conduit.Frameworks;
using Conduit.Host.Checkpoints;

namespace Conduit.Host.Inference;

/// <summary>
/// How a model's training data was read (source, label column, features, shape, ...), kept with the model so that
/// <c>conduit predict</c> reads new data the same way: a checkpoint has it in its job, an export records it in its
/// metadata under <see cref="MetadataKey"/>.
/// </summary>
public static class PredictionData
{
    /// <summary>The metadata key of an exported model's data settings (a JSON object of strings).</summary>
    public const string MetadataKey = "conduit.data";

    // Keys of a job's data section that concern training (splits, batching, where the training files were), not how to
    // read a file's columns.
    private static readonly string[] TrainingOnly = ["path", "labels", "split", "batch_size", "normalize", "shuffle", "drop_last", "streaming", "in_memory_limit_mb", "shuffle_buffer", "prefetch", "validation_", "test_"];

    /// <summary>The reading settings of a job flattened as checkpoints keep it (<c>data.label</c> = <c>label</c>).</summary>
    public static Dictionary<string, string> FromJob(IReadOnlyDictionary<string, string> job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in job)
        {
            if (key.StartsWith("data.", StringComparison.Ordinal) && key[5..] is var name
                && !TrainingOnly.Any(t => name == t || name.StartsWith(t.EndsWith('_') ? t : t + ".", StringComparison.Ordinal)))
            {
                settings[name] = value;
            }
        }
        return settings;
    }

    /// <summary>The reading settings <paramref name="model"/> carries; empty when it carries none (an ONNX file from elsewhere).</summary>
    /// <exception cref="InvalidDataException">The recorded settings are not a JSON object of strings.</exception>
    public static Dictionary<string, string> FromModel(IInferenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (((model as InterpretedModel)?.Inner ?? model) is CheckpointModel checkpoint)
        {
            return FromJob(checkpoint.Metadata.Job);
        }
        if (!model.Description.Metadata.TryGetValue(MetadataKey, out string? json))
        {
            return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }
        try
        {
            return new Dictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.OrdinalIgnoreCase);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the model's metadata '{MetadataKey}' is not a JSON object of strings: {e.Message}", e);
        }
    }
}
