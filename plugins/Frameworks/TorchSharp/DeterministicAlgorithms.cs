using System.Runtime.InteropServices;
using TorchSharp;

namespace Conduit.Frameworks.TorchSharp;

/// <summary>
/// <c>torch.use_deterministic_algorithms</c>, which TorchSharp 0.107 declares but does not implement: this calls
/// libtorch's own <c>at::globalContext().setDeterministicAlgorithms(bool, bool)</c>, exported by libtorch_cpu.
/// </summary>
/// <remarks>
/// The entry points are C++ symbols (Itanium ABI, as libtorch is built on Linux); a member function takes the object
/// as its first argument. The flag is process-wide, like PyTorch's.
/// </remarks>
internal static unsafe class DeterministicAlgorithms
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetDeterministic = "_ZN2at7Context26setDeterministicAlgorithmsEbb";
    private const string GetDeterministic = "_ZNK2at7Context23deterministicAlgorithmsEv";
    private static readonly Lock Gate = new();
    private static bool _enabled;

    /// <summary>Turns deterministic algorithms on or off; call after <see cref="LibTorchNatives.EnsureLoaded"/>.</summary>
    /// <exception cref="NotSupportedException">libtorch does not export the switch (another build of libtorch).</exception>
    public static void Set(bool enabled)
    {
        lock (Gate)
        {
            // Off is libtorch's default: a session that does not ask never calls into C++.
            if (enabled == _enabled)
            {
                return;
            }
            (nint context, nint set, nint get) = EntryPoints();
            nint instance = ((delegate* unmanaged<nint>)context)();
            ((delegate* unmanaged<nint, byte, byte, void>)set)(instance, enabled ? (byte)1 : (byte)0, 0);
            if (Read(instance, get) != enabled)
            {
                throw new InvalidOperationException($"libtorch did not take deterministic algorithms = {enabled}.");
            }
            _enabled = enabled;
        }
    }

    /// <summary>Whether libtorch runs deterministic algorithms only, read from libtorch itself.</summary>
    public static bool IsEnabled()
    {
        (nint context, _, nint get) = EntryPoints();
        return Read(((delegate* unmanaged<nint>)context)(), get);
    }

    private static bool Read(nint instance, nint get) => (((delegate* unmanaged<nint, byte>)get)(instance) & 1) != 0;

    private static (nint Context, nint Set, nint Get) EntryPoints()
    {
        string library = Path.Combine(Path.GetDirectoryName(typeof(torch).Assembly.Location)!, "libtorch_cpu.so");
        nint handle = NativeLibrary.Load(library);
        return NativeLibrary.TryGetExport(handle, GlobalContext, out nint context)
            && NativeLibrary.TryGetExport(handle, SetDeterministic, out nint set)
            && NativeLibrary.TryGetExport(handle, GetDeterministic, out nint get)
            ? (context, set, get)
            : throw new NotSupportedException($"trainer.deterministic cannot be honoured: {library} does not export at::Context::setDeterministicAlgorithms.");
    }
}
