using NuGet.Versioning;

namespace Conduit.Host.Plugins.Install;

/// <summary>What a user asks for: <c>ID</c> or <c>ID@VERSION</c>, where ID is a plugin id or a package id.</summary>
/// <param name="Name">A plugin id (<c>torchsharp</c>: package <c>Conduit.Plugins.torchsharp</c>) or a package id (<c>AcmeLogger</c>).</param>
/// <param name="Version">The exact version wanted; null for the newest.</param>
public sealed record PluginPackageRequest(string Name, NuGetVersion? Version)
{
    /// <summary>The prefix of the package ids of Conduit's own plugins: the package of plugin <c>x</c> is <c>Conduit.Plugins.x</c>.</summary>
    public const string OwnPrefix = "Conduit.Plugins.";

    /// <summary>The package ids to look for, in order: Conduit's package of that plugin id first (so <c>torchsharp</c>
    /// finds the plugin, not the TorchSharp library of the same name), then the name as a package id.</summary>
    public IEnumerable<string> CandidateIds => Name.StartsWith(OwnPrefix, StringComparison.OrdinalIgnoreCase) ? [Name] : [OwnPrefix + Name, Name];

    /// <summary>What to tell a user whose job names <paramref name="name"/>, which no loaded plugin provides.</summary>
    public static string InstallHint(string name) =>
        $"install it with 'conduit plugins install {name}' (package {OwnPrefix}{name}; 'conduit plugins search' lists them), or give the folder that holds it with --plugins DIR (or CONDUIT_PLUGINS)";

    /// <summary>Reads <c>ID</c> or <c>ID@VERSION</c>.</summary>
    /// <exception cref="PluginInstallException">The text is not of that form.</exception>
    public static PluginPackageRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int at = text.IndexOf('@', StringComparison.Ordinal);
        string name = at < 0 ? text : text[..at];
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
        {
            throw new PluginInstallException($"'{text}': not a plugin or package id; expected letters, digits, '.', '-' or '_', optionally followed by @VERSION");
        }
        if (at < 0)
        {
            return new PluginPackageRequest(name, null);
        }
        return NuGetVersion.TryParse(text[(at + 1)..], out NuGetVersion? version)
            ? new PluginPackageRequest(name, version)
            : throw new PluginInstallException($"'{text}': '{text[(at + 1)..]}' is not a version; expected for example {name}@1.2.0");
    }

    /// <inheritdoc />
    public override string ToString() => Version is null ? Name : $"{Name}@{Version}";
}
