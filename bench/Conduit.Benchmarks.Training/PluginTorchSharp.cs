using System.Reflection;
using System.Runtime.Loader;

namespace Conduit.Benchmarks.Training;

/// <summary>
/// Binds this program's compile-time TorchSharp reference to the torchsharp plugin's copy, already loaded by the host,
/// so the hand-written loop and the plugin share one TorchSharp and one set of natives (none are copied here).
/// </summary>
internal static class PluginTorchSharp
{
    public static void Bind(AssemblyLoadContext pluginContext) =>
        AssemblyLoadContext.Default.Resolving += (_, name) =>
            name.Name == "TorchSharp" ? pluginContext.LoadFromAssemblyName(new AssemblyName("TorchSharp")) : null;
}
