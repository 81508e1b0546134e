using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Conduit.Frameworks.TorchSharp.Tests.Support;

/// <summary>
/// Binds the tests' compile-time TorchSharp reference to the plugin folder's TorchSharp.dll, already loaded in the
/// plugin's load context. The test output holds no TorchSharp assembly (the package is referenced for compilation
/// only), so the runtime asks the Resolving event, which hands over the plugin's copy: one TorchSharp in the process,
/// using the plugin folder's natives, and no 450 MB copy in the test's bin.
/// </summary>
internal static class TorchSharpBinding
{
    private static int _bound;

    /// <summary>Called by the module initializer, before any test touches a TorchSharp type.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "The binding must exist before any test method that uses TorchSharp is compiled.")]
    internal static void Bind()
    {
        if (Interlocked.Exchange(ref _bound, 1) == 0)
        {
            AssemblyLoadContext.GetLoadContext(typeof(TorchSharpBinding).Assembly)!.Resolving += Resolve;
        }
    }

    /// <summary>Loads libtorch the plugin's way (its LibTorchNatives), before the test's first torch call.</summary>
    public static void EnsureNatives(LoadedPlugin plugin) => plugin.Diagnostic("TorchSharpSelfTest", "LibTorchVersion");

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "TorchSharp" ? new LoadedPlugin().LoadContext.LoadFromAssemblyName(name) : null;
}
