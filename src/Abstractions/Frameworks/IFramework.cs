namespace Conduit.Frameworks;

/// <summary>A framework adapter (TorchSharp, ONNX Runtime, ...): trains, infers and exports in its framework.</summary>
/// <remarks>The host's trainer loop drives a <see cref="ITrainingSession"/> step by step; the adapter does the math.</remarks>
public interface IFramework
{
    /// <summary>The name a job uses: <c>torchsharp</c>, <c>onnx</c>, ...</summary>
    string Name { get; }

    /// <summary>What this adapter can do; calling what it cannot throws <see cref="NotSupportedException"/>.</summary>
    FrameworkCapabilities Capabilities { get; }

    /// <summary>The model types this adapter can build (<c>mlp</c>, <c>cnn</c>, <c>linear</c>, ...).</summary>
    IReadOnlyList<string> ModelTypes { get; }

    /// <summary>Builds a model from a spec on a device, ready to train.</summary>
    /// <exception cref="ArgumentException">The spec names an unknown model type or a bad setting; the message names the key.</exception>
    ITrainingSession CreateTrainingSession(TrainingSessionOptions options);

    /// <summary>Loads a model file in this framework's format (an <c>.onnx</c> file, ...) for inference.</summary>
    /// <exception cref="InvalidDataException">The file is not a model this framework reads; the message names the file and why.</exception>
    /// <exception cref="ArgumentException">A setting in <see cref="InferenceOptions.Settings"/> is not valid; the message names the key.</exception>
    IInferenceModel LoadModel(string path, InferenceOptions options);
}
