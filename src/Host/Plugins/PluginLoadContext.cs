using System.Reflection;
using System.Runtime.Loader;

namespace Conduit.Host.Plugins;

/// <summary>
/// The load context of one plugin: its own assemblies and native libraries come from its folder, as its .deps.json
/// lists them (resolved by the runtime's <see cref="AssemblyDependencyResolver"/>, the way the runtime resolves an
/// application's); the contract (<see cref="HostShared"/>) and the manifest's host assemblies come from the host; and
/// what neither names (the framework) falls through to the default context.
/// </summary>
/// <remarks>
/// McMaster.NETCore.Plugins did this before, and for each plugin also parsed two runtimeconfig.json files, read
/// /proc/self/maps twice (Process.MainModule, for a probing path in the SDK's package store that a built plugin never
/// uses) and walked the shared assemblies' references again: about 100 ms of every start with 14 plugins.
/// </remarks>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _folder;
    private readonly HashSet<string> _fromHost;

    /// <summary>A context for the plugin whose entry assembly is <paramref name="entryPath"/>.</summary>
    /// <param name="entryPath">The plugin's entry assembly, beside its .deps.json.</param>
    /// <param name="hostAssemblies">Assemblies the plugin takes from the host besides the contract (plugin.json's hostAssemblies).</param>
    public PluginLoadContext(string entryPath, IEnumerable<string> hostAssemblies)
        : base(Path.GetFileNameWithoutExtension(entryPath))
    {
        ArgumentNullException.ThrowIfNull(entryPath);
        ArgumentNullException.ThrowIfNull(hostAssemblies);
        _resolver = new AssemblyDependencyResolver(entryPath);
        _folder = Path.GetDirectoryName(Path.GetFullPath(entryPath))!;
        _fromHost = new HashSet<string>(hostAssemblies, StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        ArgumentNullException.ThrowIfNull(assemblyName);
        if (assemblyName.Name is not { } name || HostShared.Contains(name) || _fromHost.Contains(name))
        {
            return null; // the default context's copy
        }
        // A file its .deps.json lists, else one beside the entry assembly (a plugin copied without its .deps.json).
        string? path = _resolver.ResolveAssemblyToPath(assemblyName) ?? Path.Combine(_folder, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <inheritdoc/>
    protected override nint LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : 0;
}
