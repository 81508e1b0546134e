using System.Reflection;

namespace Conduit.Host;

/// <summary>Facts about the running host.</summary>
public static class HostInfo
{
    /// <summary>The host's version.</summary>
    public static Version Version { get; } = typeof(HostInfo).Assembly.GetName().Version ?? new Version(0, 0);

    /// <summary>The host's SemVer version without build metadata.</summary>
    public static string InformationalVersion { get; } =
        typeof(HostInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? Version.ToString(3);
}
