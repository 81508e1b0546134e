using Conduit.Host.Plugins.Install;
using NuGet.Protocol.Core.Types;

namespace Conduit.Host.Cli;

/// <summary>One plugin package found by <c>conduit plugins search</c>.</summary>
/// <param name="Plugin">The name to install it by: the plugin id for Conduit's own packages, else the package id.</param>
/// <param name="Package">The package id.</param>
/// <param name="Version">The newest version the feed lists.</param>
/// <param name="Feed">The feed.</param>
/// <param name="Description">The package's description.</param>
internal sealed record PluginSearchResult(string Plugin, string Package, string Version, string Feed, string Description)
{
    public static PluginSearchResult From(IPackageSearchMetadata package, SourceRepository feed)
    {
        string id = package.Identity.Id;
        string plugin = id.StartsWith(PluginPackageRequest.OwnPrefix, StringComparison.OrdinalIgnoreCase) ? id[PluginPackageRequest.OwnPrefix.Length..] : id;
        return new PluginSearchResult(plugin, id, package.Identity.Version.ToNormalizedString(), feed.PackageSource.Source, package.Description ?? "");
    }
}
