using System.Reflection;

namespace Conduit.Host.Plugins;

/// <summary>
/// The version of the contracts in this assembly, and the rule by which a host decides whether a plugin built
/// against another version may load.
/// </summary>
/// <remarks>
/// A plugin is compatible when it was built against the same major version and a minor version no newer than the
/// host's: minor versions only add to the contract, so a plugin built against 1.2 runs on a 1.5 host but not on a
/// 1.1 host (it may use what 1.1 lacks) nor on a 2.0 host. While the major version is 0, every minor version may
/// break the contract, so major and minor must both match.
/// </remarks>
public static class ConduitContract
{
    /// <summary>The contract version of the loaded Conduit.Abstractions assembly.</summary>
    public static Version Version { get; } = typeof(Conduit.Plugins.IConduitPlugin).Assembly.GetName().Version ?? new Version(0, 0);

    /// <summary>The informational (SemVer) version of the loaded Conduit.Abstractions assembly.</summary>
    public static string InformationalVersion { get; } =
        typeof(Conduit.Plugins.IConduitPlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? Version.ToString(3);

    /// <summary>Decides whether a plugin built against <paramref name="builtAgainst"/> can run on <paramref name="host"/>.</summary>
    /// <param name="builtAgainst">The contract version the plugin names in its manifest.</param>
    /// <param name="host">The host's contract version, usually <see cref="Version"/>.</param>
    /// <param name="reason">Why not, in one sentence, when the answer is no; otherwise <see langword="null"/>.</param>
    public static bool IsCompatible(Version builtAgainst, Version host, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(builtAgainst);
        ArgumentNullException.ThrowIfNull(host);
        reason = null;
        if (builtAgainst.Major != host.Major)
        {
            reason = $"built against contract {Format(builtAgainst)}, but the host implements {Format(host)} (major versions differ)";
            return false;
        }
        bool tooNew = host.Major == 0 ? builtAgainst.Minor != host.Minor : builtAgainst.Minor > host.Minor;
        if (tooNew)
        {
            reason = builtAgainst.Minor > host.Minor
                ? $"built against contract {Format(builtAgainst)}, newer than the host's {Format(host)}; update the host"
                : $"built against contract {Format(builtAgainst)}; pre-1.0 contracts must match the host's {Format(host)} exactly in major.minor";
            return false;
        }
        return true;
    }

    private static string Format(Version v) => v.ToString(Math.Min(3, v.Build < 0 ? 2 : 3));
}
