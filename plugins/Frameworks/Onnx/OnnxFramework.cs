using Microsoft.Extensions.Logging;

namespace Conduit.Frameworks.Onnx;

/// <summary>The ONNX Runtime adapter: loads any <c>.onnx</c> model and runs batched inference; it does not train.</summary>
internal sealed class OnnxFramework(OnnxRuntimeNatives natives, ILogger<OnnxFramework> logger) : IInferenceFramework
{
    /// <summary>The name jobs and commands use for this framework.</summary>
    public const string FrameworkName = "onnx";

    /// <inheritdoc/>
    public string Name => FrameworkName;

    /// <inheritdoc/>
    public IInferenceModel LoadModel(string path, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        // The file and the settings are checked before ONNX Runtime loads, so a bad call fails with its own reason.
        OnnxModelFile file = OnnxModelFile.Read(path);
        OnnxSessionSettings settings = OnnxSessionSettings.Read(options);
        natives.EnsureLoaded();
        return OnnxModel.Load(file, settings, logger);
    }
}
