using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Conduit.Frameworks.Onnx;

/// <summary>
/// Chooses ONNX Runtime's execution provider from the device: CUDA when asked for and this ONNX Runtime has it (the
/// Microsoft.ML.OnnxRuntime.Gpu.Linux package and a GPU), otherwise the CPU, saying why.
/// </summary>
internal static partial class ExecutionProviders
{
    private const string Cuda = "CUDAExecutionProvider";

    /// <summary>Adds the provider to <paramref name="options"/> and returns where the model will run, in words.</summary>
    public static string Apply(SessionOptions options, OnnxSessionSettings settings, ILogger logger)
    {
        if (settings.CudaDevice is not int device)
        {
            return "cpu (CPUExecutionProvider)";
        }
        string[] available = OrtEnv.Instance().GetAvailableProviders();
        if (!available.Contains(Cuda))
        {
            CudaUnavailable(logger, settings.Device, $"this ONNX Runtime has no {Cuda} (available: {string.Join(", ", available)}); it comes with the Microsoft.ML.OnnxRuntime.Gpu.Linux package");
            return "cpu (CPUExecutionProvider)";
        }
        try
        {
            options.AppendExecutionProvider_CUDA(device);
            return $"cuda:{device} ({Cuda})";
        }
        catch (OnnxRuntimeException e)
        {
            CudaUnavailable(logger, settings.Device, e.Message);
            return "cpu (CPUExecutionProvider)";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ONNX Runtime cannot run on {Device}: {Reason}. Running on the CPU instead.")]
    private static partial void CudaUnavailable(ILogger logger, string device, string reason);
}
