using System.Runtime.InteropServices;
using TorchSharp;

namespace Conduit.Frameworks.TorchSharp;

/// <summary>
/// Loads libtorch and LibTorchSharp from the plugin folder before TorchSharp's first use, and explains a failure.
/// </summary>
/// <remarks>
/// TorchSharp finds its natives relative to <c>typeof(torch).Assembly.Location</c> (the plugin folder, as the host's
/// loader loads from files). When that load fails, TorchSharp falls back to copying every native of its NuGet packages
/// (about 600 MB) into a <c>cpu</c> folder beside TorchSharp.dll and tries those, which fails the same way on a system
/// without GCC 13's libstdc++ and leaves the copies behind. Loading the two libraries here first, by full path, turns that
/// into one clear error and keeps the plugin folder as built.
/// </remarks>
internal static class LibTorchNatives
{
    private static readonly Lock Gate = new();
    private static bool _loaded;

    /// <summary>Makes sure libtorch is loaded and initialised for the CPU; cheap after the first call.</summary>
    /// <exception cref="InvalidOperationException">The natives cannot be loaded; the message says which and why.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }
            if (OperatingSystem.IsLinux())
            {
                string folder = Path.GetDirectoryName(typeof(torch).Assembly.Location) is { Length: > 0 } directory
                    ? directory
                    : throw new InvalidOperationException("TorchSharp.dll was loaded from memory, so its native libraries cannot be located; load the torchsharp plugin from its folder.");
                foreach (string library in (ReadOnlySpan<string>)["libtorch_cpu.so", "libLibTorchSharp.so"])
                {
                    string path = Path.Combine(folder, library);
                    if (!File.Exists(path))
                    {
                        throw new InvalidOperationException($"{library} is missing from the torchsharp plugin folder {folder}; rebuild the plugin.");
                    }
                    try
                    {
                        NativeLibrary.Load(path);
                    }
                    catch (DllNotFoundException e)
                    {
                        throw new InvalidOperationException(
                            $"{path} cannot be loaded: {e.Message.Trim()}. If it says GLIBCXX_3.4.32 was not found, this copy did not get "
                            + "the build's weak-version fix (build/Conduit.Build.Tasks, MarkElfVersionWeak); rebuild the plugin.", e);
                    }
                }
            }
            torch.InitializeDeviceType(DeviceType.CPU);
            _loaded = true;
        }
    }
}
