namespace Conduit.Frameworks;

/// <summary>A framework that runs trained models from files in its format (ONNX Runtime for <c>.onnx</c>, ...).</summary>
public interface IInferenceFramework
{
    /// <summary>The framework's name: <c>onnx</c>, ...</summary>
    string Name { get; }

    /// <summary>Loads a model file in this framework's format for inference.</summary>
    /// <exception cref="InvalidDataException">The file is not a model this framework reads; the message names the file and why.</exception>
    /// <exception cref="ArgumentException">A setting in <see cref="InferenceOptions.Settings"/> is not valid; the message names the key.</exception>
    IInferenceModel LoadModel(string path, InferenceOptions options);
}
