namespace Conduit.Frameworks.TorchSharp;

/// <summary>The TorchSharp (libtorch) framework adapter: trains models on the CPU.</summary>
internal sealed class TorchSharpFramework : IFramework
{
    /// <summary>The name jobs use for this framework.</summary>
    public const string FrameworkName = "torchsharp";

    /// <inheritdoc/>
    public string Name => FrameworkName;

    /// <inheritdoc/>
    public FrameworkCapabilities Capabilities => FrameworkCapabilities.Train;

    /// <inheritdoc/>
    /// <remarks>None yet: the model builders arrive with the Training issue.</remarks>
    public IReadOnlyList<string> ModelTypes { get; } = [];

    /// <inheritdoc/>
    public ITrainingSession CreateTrainingSession(TrainingSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("TorchSharp training arrives with the Training issue.");
    }

    /// <inheritdoc/>
    public IInferenceModel LoadModel(string path, InferenceOptions options) =>
        throw new NotSupportedException($"The {FrameworkName} framework does not load models for inference (its capabilities are {Capabilities}).");

    /// <inheritdoc/>
    public ValueTask ExportAsync(string checkpointPath, string format, string outputPath, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {FrameworkName} framework does not export models (its capabilities are {Capabilities}).");
}
