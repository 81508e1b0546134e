using NuGet.Packaging.Core;

namespace Conduit.Host.Plugins.Install;

/// <summary>A plugin installed from a feed.</summary>
/// <param name="Id">The plugin id (its folder's name).</param>
/// <param name="Package">The package and version.</param>
/// <param name="Source">The feed it came from.</param>
/// <param name="Folder">The plugin folder.</param>
/// <param name="Dependencies">How many dependency packages were laid out into it.</param>
public sealed record InstalledPlugin(string Id, PackageIdentity Package, string Source, string Folder, int Dependencies);
