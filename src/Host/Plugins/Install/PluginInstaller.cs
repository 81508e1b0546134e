using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace Conduit.Host.Plugins.Install;

/// <summary>
/// Installs, updates and removes plugins in one plugin folder from NuGet feeds. Every change is atomic: the new
/// folder is laid out and checked beside the old one (in a hidden folder discovery skips) and takes its place with
/// one rename, so a failure at any step leaves the folder as it was. The folder's <see cref="PluginLock"/> records
/// each plugin's files and every package's SHA-512: a package whose content changed for a version seen before is
/// refused.
/// </summary>
public sealed class PluginInstaller(string pluginsFolder, PluginFeeds feeds)
{
    /// <summary>The folder plugins are installed into.</summary>
    public string Folder { get; } = Path.GetFullPath(pluginsFolder);

    /// <summary>The lock beside the installed plugins.</summary>
    public string LockPath => Path.Combine(Folder, PluginLock.FileName);

    /// <summary>Installs the plugin <paramref name="request"/> names (the newest version unless one is given), replacing an installed one of that id.</summary>
    /// <exception cref="PluginInstallException">It cannot be installed; nothing changed.</exception>
    public async Task<InstalledPlugin> InstallAsync(PluginPackageRequest request, bool prerelease, CancellationToken cancel)
    {
        (SourceRepository feed, PackageIdentity package) = await FindAsync(request, prerelease, cancel).ConfigureAwait(false);
        return await InstallAsync(feed, package, cancel).ConfigureAwait(false);
    }

    /// <summary>Updates the installed plugin <paramref name="id"/> to the newest version on the feeds; null when it is up to date.</summary>
    public async Task<InstalledPlugin?> UpdateAsync(string id, bool prerelease, CancellationToken cancel)
    {
        PluginLock.LockedPlugin installed = PluginLock.ReadOrEmpty(LockPath).Plugins.GetValueOrDefault(id)
            ?? throw new PluginInstallException($"'{id}' was not installed from a feed into {Folder}; install it with 'conduit plugins install {id}'");
        PluginLock.PluginPackageOrigin origin = installed.Package ?? throw new PluginInstallException($"'{id}' in {Folder} was not installed from a feed");
        (SourceRepository feed, PackageIdentity newest) = await FindAsync(new PluginPackageRequest(origin.Id, null), prerelease, cancel).ConfigureAwait(false);
        return newest.Version <= NuGetVersion.Parse(origin.Version) ? null : await InstallAsync(feed, newest, cancel).ConfigureAwait(false);
    }

    /// <summary>The ids of the plugins installed from feeds into this folder.</summary>
    public IReadOnlyList<string> InstalledIds() => [.. PluginLock.ReadOrEmpty(LockPath).Plugins.Where(p => p.Value.Package is not null).Select(p => p.Key)];

    /// <summary>Removes the plugin <paramref name="id"/> from the folder and from the lock (the packages seen stay recorded).</summary>
    public void Remove(string id)
    {
        if (Jobs.PathSegment.Problem(id) is { } problem)
        {
            throw new PluginInstallException($"'{id}': not a plugin id: {problem}"); // a name, never a path out of the folder
        }
        PluginLock current = PluginLock.ReadOrEmpty(LockPath);
        string folder = Path.Combine(Folder, id);
        if (!Directory.Exists(folder) && !current.Plugins.ContainsKey(id))
        {
            throw new PluginInstallException($"'{id}' is not installed in {Folder}");
        }
        if (Directory.Exists(folder))
        {
            string removed = Path.Combine(Folder, $".removed-{id}-{Guid.NewGuid():N}");
            Directory.Move(folder, removed); // gone from discovery in one step, then deleted
            Directory.Delete(removed, recursive: true);
        }
        current.Without(id).Save();
    }

    private async Task<InstalledPlugin> InstallAsync(SourceRepository feed, PackageIdentity package, CancellationToken cancel)
    {
        Directory.CreateDirectory(Folder);
        string work = Path.Combine(Folder, $".install-{Guid.NewGuid():N}");
        string staged = Path.Combine(work, "plugin");
        Directory.CreateDirectory(staged);
        try
        {
            IReadOnlyList<SourcePackageDependencyInfo> packages = await PluginDependencies.ResolveAsync(package, feed, feeds, cancel).ConfigureAwait(false);
            var downloads = new List<DownloadedPackage>();
            foreach (SourcePackageDependencyInfo needed in packages)
            {
                downloads.Add(await DownloadedPackage.DownloadAsync(needed, work, feeds, cancel).ConfigureAwait(false));
            }
            PluginLock current = PluginLock.ReadOrEmpty(LockPath);
            CheckUnchanged(downloads, current);
            DownloadedPackage plugin = downloads.Single(d => PackageIdentityComparer.Default.Equals(d.Identity, package));
            LayOut(plugin, downloads.Where(d => d != plugin), staged);
            PluginManifest manifest = CheckManifest(plugin, staged);
            string target = Path.Combine(Folder, manifest.Id);
            Replace(target, staged, work);
            current.With(manifest.Id, target, manifest.Version.ToString(), new PluginLock.PluginPackageOrigin(plugin.Identity.Id, plugin.Identity.Version.ToNormalizedString(), plugin.Source),
                downloads.Select(d => KeyValuePair.Create(d.Key, d.Sha512))).Save();
            return new InstalledPlugin(manifest.Id, plugin.Identity, plugin.Source, target, downloads.Count - 1);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private async Task<(SourceRepository Feed, PackageIdentity Package)> FindAsync(PluginPackageRequest request, bool prerelease, CancellationToken cancel)
    {
        foreach (string id in request.CandidateIds)
        {
            // The first feed that has the package decides (--source before the configured ones): a package of the
            // same id on a public feed never replaces the one from the feed the user named.
            var all = await feeds.VersionsAsync(id, cancel).ConfigureAwait(false);
            var versions = all.Where(v => v.Feed == all.FirstOrDefault().Feed).ToList();
            var wanted = versions.Where(v => request.Version is null ? prerelease || !v.Version.IsPrerelease : v.Version == request.Version)
                .OrderByDescending(v => v.Version).ToList();
            if (wanted.Count > 0)
            {
                return (wanted[0].Feed, new PackageIdentity(id, wanted[0].Version));
            }
            if (versions.Count > 0)
            {
                throw new PluginInstallException($"{id}: no version {(request.Version is null ? "that is not a pre-release (add --prerelease)" : request.Version.ToString())} on {feeds.Describe()}; there are {string.Join(", ", versions.Select(v => v.Version).Distinct().OrderDescending().Take(5))}");
            }
        }
        throw new PluginInstallException($"'{request.Name}': no package {string.Join(" or ", request.CandidateIds)} on {feeds.Describe()}");
    }

    private static void CheckUnchanged(IEnumerable<DownloadedPackage> downloads, PluginLock current)
    {
        foreach (DownloadedPackage download in downloads)
        {
            if (current.Packages.GetValueOrDefault(download.Key) is { } seen && seen != download.Sha512)
            {
                throw new PluginInstallException($"{download.Identity} from {download.Source} is not the package installed before under that version (SHA-512 {download.Sha512[..16]}..., recorded {seen[..16]}... in {current.Path}); a published version never changes, so it is refused");
            }
        }
    }

    private static void LayOut(DownloadedPackage plugin, IEnumerable<DownloadedPackage> dependencies, string staged)
    {
        using var pluginReader = new PackageArchiveReader(plugin.File);
        if (!PluginFolderLayout.IsPluginPackage(pluginReader))
        {
            throw new PluginInstallException($"{plugin.Identity} is not a Conduit plugin package (it has no {PluginFolderLayout.PluginFolder}{PluginManifest.FileName})");
        }
        IReadOnlySet<string>? natives = PluginNativeAssets.Read(pluginReader);
        foreach (DownloadedPackage dependency in dependencies)
        {
            using var reader = new PackageArchiveReader(dependency.File);
            PluginFolderLayout.AddDependency(reader, staged, natives);
        }
        PluginFolderLayout.AddPlugin(pluginReader, staged);
    }

    private static PluginManifest CheckManifest(DownloadedPackage plugin, string staged)
    {
        PluginManifest manifest;
        try
        {
            manifest = PluginManifestReader.Read(Path.Combine(staged, PluginManifest.FileName));
        }
        catch (PluginManifestException e)
        {
            throw new PluginInstallException($"{plugin.Identity}: {e.Message}", e);
        }
        if (!ConduitContract.IsCompatible(manifest.Abstractions, ConduitContract.Version, out string? reason))
        {
            throw new PluginInstallException($"{plugin.Identity} (plugin '{manifest.Id}') is incompatible: {reason}");
        }
        if (Jobs.PathSegment.Problem(manifest.Id) is { } problem)
        {
            throw new PluginInstallException($"{plugin.Identity}: plugin id '{manifest.Id}' cannot name a folder: {problem}");
        }
        return manifest;
    }

    // The old folder steps aside, the new one takes its name; if that fails, the old one comes back.
    private static void Replace(string target, string staged, string work)
    {
        string? previous = Directory.Exists(target) ? Path.Combine(work, "previous") : null;
        if (previous is not null)
        {
            Directory.Move(target, previous);
        }
        try
        {
            Directory.Move(staged, target);
        }
        catch (IOException) when (previous is not null)
        {
            Directory.Move(previous, target);
            throw;
        }
    }
}
