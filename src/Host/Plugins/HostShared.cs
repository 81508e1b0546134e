namespace Conduit.Host.Plugins;

/// <summary>
/// The assemblies (and, by the same names, packages) the host gives every plugin: the contract and the
/// Microsoft.Extensions abstractions it is written in, one copy per process so that their types are the host's types.
/// The plugin build leaves them out of a plugin folder (build/Conduit.Plugin.targets), an install does not download
/// them, and a plugin's load context takes them from the host.
/// </summary>
public static class HostShared
{
    /// <summary>Whether <paramref name="name"/> (an assembly name or package id) is one the host provides.</summary>
    public static bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Equals("Conduit.Abstractions", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Microsoft.Extensions.Primitives", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Microsoft.Extensions.Options", StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("Microsoft.Extensions.", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".Abstractions", StringComparison.OrdinalIgnoreCase));
    }
}
