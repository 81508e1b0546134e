using System.Text.Json;
using Conduit.Data;
using Conduit.Frameworks;

namespace Conduit.Host.Inference;

/// <summary>
/// Exports a checkpoint through its framework and checks the result: the exported file is loaded the way a consumer
/// would load it, a batch runs through both models, and the export fails (nothing is left at the destination) when
/// any output differs by more than <see cref="Tolerance"/>.
/// </summary>
public static class ModelExport
{
    /// <summary>The largest relative difference an export may show against the original model.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>The formats that hold weights only (a state dict), checked by loading them into the checkpoint's own model.</summary>
    public static IReadOnlyList<string> StateDictFormats { get; } = ["pytorch", "safetensors"];

    /// <summary>The file extension of <paramref name="format"/> (<c>pt</c> for PyTorch's state dicts).</summary>
    public static string Extension(string format) => format == "pytorch" ? "pt" : format;

    /// <summary>The examples in the check batch.</summary>
    public const int CheckRows = 64;

    /// <summary>Exports <paramref name="checkpoint"/> to <paramref name="destination"/> in <paramref name="format"/>.</summary>
    /// <exception cref="InvalidDataException">The checkpoint cannot be opened, the export cannot be loaded, or its outputs differ; the message says which and by how much.</exception>
    /// <exception cref="NotSupportedException">The framework does not export this format, or a layer has no equivalent in it.</exception>
    /// <param name="host">The host whose framework plugins export and check.</param>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="format">The format; null for the framework's first (<c>onnx</c> for torchsharp).</param>
    /// <param name="destination">The file to write.</param>
    /// <param name="check">How to run the exported model for the check (a job's <c>inference</c> settings); null for the defaults.</param>
    public static ExportReport Export(ConduitHost host, string checkpoint, string? format, string destination, InferenceOptions? check = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!ModelFiles.IsCheckpoint(checkpoint))
        {
            throw new InvalidDataException($"{checkpoint}: not a Conduit checkpoint; export takes a .ckpt file written by conduit run.");
        }
        using var original = (CheckpointModel)ModelFiles.Open(host, checkpoint, new InferenceOptions());
        if (original.Session is not IModelExporter exporter)
        {
            throw new NotSupportedException($"The {original.Metadata.Framework} framework does not export models.");
        }
        IReadOnlyList<string> formats = host.Plugins.ResolveAll<ITrainingFramework>(host.Services)
            .FirstOrDefault(f => f.Name == original.Metadata.Framework)?.ExportFormats ?? [];
        format ??= formats.FirstOrDefault() ?? "";
        if (!formats.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"--format: the {original.Metadata.Framework} framework does not export '{format}'; it exports {(formats.Count == 0 ? "nothing" : string.Join(", ", formats))}.");
        }
        string full = Path.GetFullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Written beside the destination under a temporary name, and moved there only once it has passed the check.
        string pending = full + ".pending" + Path.GetExtension(full);
        try
        {
            using (var file = new FileStream(pending, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                exporter.Export(Request(original, format), file);
            }
            OutputComparison comparison = StateDictFormats.Contains(format, StringComparer.OrdinalIgnoreCase)
                ? CheckWeights(host, original, pending)
                : Check(host, original, pending, check ?? new InferenceOptions());
            if (comparison.MaxRelativeDifference > Tolerance)
            {
                throw new InvalidDataException($"the exported model's outputs differ from {original.Metadata.Framework}'s beyond {Tolerance:E0}: {comparison}; nothing was written to {destination}.");
            }
            File.Move(pending, full, overwrite: true);
            if (StateDictFormats.Contains(format, StringComparer.OrdinalIgnoreCase))
            {
                StateDictSidecar.Write(full, original, format.ToLowerInvariant());
            }
            return new ExportReport(full, format.ToLowerInvariant(), original.Path, new FileInfo(full).Length, comparison);
        }
        finally
        {
            File.Delete(pending);
        }
    }

    private static ModelExportRequest Request(CheckpointModel original, string format)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModelMetadataKeys.Target] = original.Metadata.Target,
            [ModelMetadataKeys.Preprocessing] = original.Preprocessing?.Kind ?? "none",
            [ModelMetadataKeys.RunId] = original.Metadata.RunId,
            [ModelMetadataKeys.Job] = original.Metadata.JobName,
            [ModelMetadataKeys.Metrics] = JsonSerializer.Serialize(original.Metadata.Metrics),
            [PredictionData.MetadataKey] = JsonSerializer.Serialize(PredictionData.FromJob(original.Metadata.Job)),
        };
        if (original.ClassNames.Count > 0)
        {
            metadata[ModelMetadataKeys.ClassNames] = JsonSerializer.Serialize(original.ClassNames);
        }
        return new ModelExportRequest(format.ToLowerInvariant())
        {
            FeatureCenter = original.Preprocessing?.Center,
            FeatureScale = original.Preprocessing?.Scale,
            Metadata = metadata,
        };
    }

    // Weights alone run in no runtime of their own: they are loaded (model.init_from, as a job would) into the model
    // the checkpoint's job describes, which must then answer as the checkpoint does.
    private static OutputComparison CheckWeights(ConduitHost host, CheckpointModel original, string exportedPath)
    {
        try
        {
            using CheckpointModel reloaded = CheckpointModel.Open(original.Path, host.Plugins.ResolveAll<ITrainingFramework>(host.Services), new InferenceOptions(), exportedPath);
            TensorBuffer<float> batch = CheckBatch(original);
            return OutputComparison.Of(original.Predict(batch), reloaded.Predict(batch));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"the exported weights do not load back into the model: {e.Message}", e);
        }
    }

    private static OutputComparison Check(ConduitHost host, CheckpointModel original, string exportedPath, InferenceOptions options)
    {
        using IInferenceModel exported = ModelFiles.Open(host, exportedPath, options);
        if (!exported.InputShape.Equals(original.InputShape))
        {
            throw new InvalidDataException($"the exported model takes examples of shape {exported.InputShape}; the checkpoint's takes {original.InputShape}.");
        }
        TensorBuffer<float> batch = CheckBatch(original);
        return OutputComparison.Of(original.Predict(batch), exported.Predict(batch));
    }

    // Raw features around the training data's own center and spread (standard normal without a normalizer), drawn
    // from a fixed seed: every export is checked on the same kind of input its model saw.
    private static TensorBuffer<float> CheckBatch(CheckpointModel original)
    {
        int size = checked((int)original.InputShape.ElementCount);
        var values = new float[CheckRows * size];
        var random = new Random(20260);
        FeatureScaling? scaling = original.Preprocessing;
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            int j = i % size;
            values[i] = scaling is null ? (float)z : (float)(scaling.Center[j] + scaling.Scale[j] * z);
        }
        return new TensorBuffer<float>(values, original.InputShape.Prepend(CheckRows));
    }
}
