using System.Runtime.InteropServices;

namespace Conduit.Frameworks.Onnx;

/// <summary>Loads libonnxruntime from the plugin folder, by full path, before ONNX Runtime's first call.</summary>
/// <remarks>
/// ONNX Runtime's own import resolver looks beside the host, not the plugin. Once the plugin folder's copy is loaded
/// under its soname, every later lookup of <c>onnxruntime</c> in the process finds it.
/// </remarks>
internal sealed class OnnxRuntimeNatives(string pluginDirectory)
{
    private const string Library = "libonnxruntime.so";
    private readonly Lock _gate = new();
    private bool _loaded;

    /// <summary>Loads the library once; cheap afterwards.</summary>
    /// <exception cref="InvalidOperationException">The library is missing or does not load; the message says which and why.</exception>
    public void EnsureLoaded()
    {
        lock (_gate)
        {
            if (_loaded || !OperatingSystem.IsLinux())
            {
                _loaded = true;
                return;
            }
            string path = Path.Combine(pluginDirectory, Library);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{Library} is missing from the onnx plugin folder {pluginDirectory}; rebuild the plugin.");
            }
            try
            {
                NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                throw new InvalidOperationException($"{path} cannot be loaded: {e.Message.Trim()}", e);
            }
            _loaded = true;
        }
    }
}
