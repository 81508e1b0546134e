using Conduit.Configuration;
using System.Globalization;
using System.Text.Json;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Checkpoints;
using Conduit.Host.Data;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Inference;

/// <summary>
/// A checkpoint opened for inference: its framework rebuilds the model from the job the checkpoint carries and
/// loads the weights; raw features are normalized as in training before they reach the model, so a checkpoint and
/// the ONNX file exported from it take the same input.
/// </summary>
public sealed class CheckpointModel : IInferenceModel
{
    private readonly FeatureNormalizer _normalizer;

    private CheckpointModel(string path, CheckpointMetadata metadata, ITrainingSession session, FeatureNormalizer normalizer)
    {
        Path = path;
        Metadata = metadata;
        Session = session;
        _normalizer = normalizer;
        InputShape = new TensorShape([.. metadata.FeatureShape]);
        ClassNames = metadata.ClassNames;
        bool classifier = metadata.Target == "classification";
        string[] batch = ["batch", .. metadata.FeatureShape.Select(d => d.ToString(CultureInfo.InvariantCulture))];
        int outputs = classifier ? metadata.ClassNames.Count : OutputWidth(session, InputShape);
        Description = new ModelDescription(
            $"conduit checkpoint ({metadata.Framework})",
            [new TensorDescription("input", "float32", batch)],
            [new TensorDescription(classifier ? "probabilities" : "predictions", "float32", ["batch", outputs.ToString(CultureInfo.InvariantCulture)])],
            session.Summary.TotalParameters,
            Describe(metadata))
        {
            Producer = $"conduit ({metadata.Framework})",
            Device = "cpu",
        };
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>What the checkpoint says about its run.</summary>
    public CheckpointMetadata Metadata { get; }

    /// <summary>The framework's session holding the weights (for export).</summary>
    public ITrainingSession Session { get; }

    /// <summary>The normalization the model was trained behind, as exports carry it; null for none.</summary>
    public FeatureScaling? Preprocessing => _normalizer.Kind == NormalizationKind.None ? null
        : new FeatureScaling(_normalizer.Kind == NormalizationKind.MinMax ? "minmax" : "standardize", _normalizer.State.Center, _normalizer.State.Scale);

    /// <inheritdoc/>
    public TensorShape InputShape { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public ModelDescription Description { get; }

    /// <summary>Opens <paramref name="path"/> with the framework that wrote it.</summary>
    /// <exception cref="CheckpointCorruptException">The file is not an intact checkpoint.</exception>
    /// <exception cref="InvalidDataException">Its framework is not installed, or its state does not fit the model its job describes.</exception>
    /// <param name="path">The checkpoint.</param>
    /// <param name="frameworks">The loaded training frameworks.</param>
    /// <param name="options">How to run it.</param>
    /// <param name="weights">A state dict file (<c>model.init_from</c>) to take the weights from instead of the checkpoint's state: how an export to one is checked.</param>
    public static CheckpointModel Open(string path, IEnumerable<ITrainingFramework> frameworks, InferenceOptions options, string? weights = null)
    {
        ArgumentNullException.ThrowIfNull(frameworks);
        ArgumentNullException.ThrowIfNull(options);
        var (metadata, state) = CheckpointFile.Read(path);
        var installed = frameworks.ToList();
        ITrainingFramework framework = installed.FirstOrDefault(f => f.Name == metadata.Framework)
            ?? throw new InvalidDataException($"{path}: holds a {metadata.Framework} model, but no {metadata.Framework} framework plugin is loaded (loaded: {string.Join(", ", installed.Select(f => f.Name).DefaultIfEmpty("none"))}).");
        // The job as the checkpoint recorded it ("model.hidden.0" = "256"), back into configuration sections.
        IConfiguration job = new ConfigurationBuilder()
            .AddInMemoryCollection(metadata.Job.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace('.', ':'), kv.Value)))
            .AddInMemoryCollection(weights is null ? [] : [new("model:init_from", weights)])
            .Build();
        var schema = new DataSchema(new TensorShape([.. metadata.FeatureShape]), [],
            metadata.Target == "regression" ? TargetKind.Regression : TargetKind.Classification, metadata.ClassNames);
        int maxEpochs = int.TryParse(job["trainer:max_epochs"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int epochs) && epochs > 0 ? epochs : 1;
        // Schedules check their span; the restored state, not these, decides the weights.
        var settings = new SettingsReader(job);
        var sessionOptions = new TrainingSessionOptions
        {
            Model = settings.Section("model"),
            Optimizer = settings.Section("optimizer"),
            Schema = schema,
            Device = options.Device,
            Threads = options.Threads,
            StepsPerEpoch = 1,
            MaxEpochs = maxEpochs,
        };
        ITrainingSession session = framework.CreateTrainingSession(sessionOptions);
        try
        {
            if (weights is null)
            {
                using var stream = new MemoryStream(state, writable: false);
                session.LoadState(stream);
            }
            return new CheckpointModel(System.IO.Path.GetFullPath(path), metadata, session, FeatureNormalizer.FromJson(metadata.Normalizer));
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException)
        {
            session.Dispose();
            throw new InvalidDataException($"{path}: the saved state does not fit the model its job describes: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public TensorBuffer<float> Predict(ITensorBuffer features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features is not TensorBuffer<float> values)
        {
            throw new ArgumentException($"The batch's features are {features.ElementType.Name}; the model takes float32.", nameof(features));
        }
        int count = features.Shape.Rank == 0 ? 0 : features.Shape[0];
        long size = InputShape.ElementCount;
        if (count == 0 || values.Memory.Length != count * size)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The batch's features have shape {features.Shape} ({(count == 0 ? 0 : values.Memory.Length / count)} values per example); the checkpoint's model takes [N, {string.Join(", ", Metadata.FeatureShape)}] ({size} values per example)."),
                nameof(features));
        }
        if (_normalizer.Kind == NormalizationKind.None)
        {
            return Session.Predict(features);
        }
        // Normalized in a copy: the caller's batch stays as it was given.
        float[] normalized = values.Memory.ToArray();
        _normalizer.Apply(normalized);
        return Session.Predict(new TensorBuffer<float>(normalized, features.Shape));
    }

    /// <inheritdoc/>
    public void Dispose() => Session.Dispose();

    // A regressor's width is not in the metadata: one forward pass of a zero example tells it.
    private static int OutputWidth(ITrainingSession session, TensorShape example) =>
        session.Predict(new TensorBuffer<float>(new float[example.ElementCount], example.Prepend(1))).Shape[1];

    private static Dictionary<string, string> Describe(CheckpointMetadata metadata)
    {
        var described = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModelMetadataKeys.RunId] = metadata.RunId,
            [ModelMetadataKeys.Job] = metadata.JobName,
            [ModelMetadataKeys.Target] = metadata.Target,
            [ModelMetadataKeys.Preprocessing] = FeatureNormalizer.FromJson(metadata.Normalizer).Kind.ToString().ToLowerInvariant(),
            [ModelMetadataKeys.Metrics] = JsonSerializer.Serialize(metadata.Metrics),
            ["conduit.epoch"] = metadata.Epoch.ToString(CultureInfo.InvariantCulture),
            ["conduit.global_step"] = metadata.GlobalStep.ToString(CultureInfo.InvariantCulture),
            ["conduit.created_at"] = metadata.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        if (metadata.ClassNames.Count > 0)
        {
            described[ModelMetadataKeys.ClassNames] = JsonSerializer.Serialize(metadata.ClassNames);
        }
        return described;
    }
}
