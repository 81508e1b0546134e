using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Protocol.Core.Types;
using NuGet.Resolver;
using NuGet.Versioning;

namespace Conduit.Host.Plugins.Install;

/// <summary>
/// The packages a plugin package needs, resolved as NuGet resolves them (the lowest version each dependency range
/// allows, one version per id) for the host's target framework. Dependencies are read from each package's own
/// nuspec, which every feed serves as it was packed. What the host shares with every plugin (the contract and the
/// Microsoft.Extensions abstractions) is never part of a plugin folder, so it is left out.
/// </summary>
internal static class PluginDependencies
{
    /// <summary>The framework plugins run on: the host's.</summary>
    public static NuGetFramework Framework { get; } = NuGetFramework.Parse("net10.0");

    /// <summary>The plugin package and every package it needs, each with the feed to download it from.</summary>
    /// <exception cref="PluginInstallException">A dependency is on no feed, or the ranges cannot all be met.</exception>
    public static async Task<IReadOnlyList<SourcePackageDependencyInfo>> ResolveAsync(PackageIdentity plugin, SourceRepository feed, PluginFeeds feeds, CancellationToken cancel)
    {
        var available = new Dictionary<PackageIdentity, SourcePackageDependencyInfo>(PackageIdentityComparer.Default);
        var pending = new Queue<SourcePackageDependencyInfo>();
        async Task AddAsync(PackageIdentity package, SourceRepository source)
        {
            if (!available.ContainsKey(package))
            {
                SourcePackageDependencyInfo info = await DescribeAsync(package, source, feeds, cancel).ConfigureAwait(false);
                available[package] = info;
                pending.Enqueue(info);
            }
        }
        await AddAsync(plugin, feed).ConfigureAwait(false);
        var lowestFor = new Dictionary<(string, VersionRange), PackageIdentity>();
        while (pending.TryDequeue(out SourcePackageDependencyInfo? package))
        {
            foreach (PackageDependency dependency in package.Dependencies)
            {
                // The lowest version each distinct range allows: what NuGet's Lowest behaviour picks, without the
                // nuspec of every version ever published.
                if (!lowestFor.ContainsKey((dependency.Id.ToLowerInvariant(), dependency.VersionRange)))
                {
                    var (source, version) = await LowestAsync(dependency, feeds, cancel).ConfigureAwait(false);
                    var identity = new PackageIdentity(dependency.Id, version);
                    lowestFor[(dependency.Id.ToLowerInvariant(), dependency.VersionRange)] = identity;
                    await AddAsync(identity, source).ConfigureAwait(false);
                }
            }
        }
        return Resolve(plugin, available.Values, feeds, cancel);
    }

    private static IReadOnlyList<SourcePackageDependencyInfo> Resolve(PackageIdentity plugin, ICollection<SourcePackageDependencyInfo> available, PluginFeeds feeds, CancellationToken cancel)
    {
        var context = new PackageResolverContext(DependencyBehavior.Lowest, [plugin.Id], [plugin.Id], [], [plugin], available,
            feeds.Repositories.Select(r => r.PackageSource), PluginFeeds.Log);
        try
        {
            var chosen = new HashSet<PackageIdentity>(new PackageResolver().Resolve(context, cancel), PackageIdentityComparer.Default);
            return [.. available.Where(p => chosen.Contains(p))];
        }
        catch (NuGetResolverException e)
        {
            throw new PluginInstallException($"{plugin}: its dependencies cannot be resolved from {feeds.Describe()}: {e.Message}", e);
        }
    }

    private static async Task<(SourceRepository Feed, NuGetVersion Version)> LowestAsync(PackageDependency dependency, PluginFeeds feeds, CancellationToken cancel)
    {
        var versions = await feeds.VersionsAsync(dependency.Id, cancel).ConfigureAwait(false);
        return versions.Where(v => dependency.VersionRange.Satisfies(v.Version)).OrderBy(v => v.Version).FirstOrDefault() is { Feed: not null } lowest
            ? lowest
            : throw new PluginInstallException($"{dependency.Id} {dependency.VersionRange.PrettyPrint()}: no such version on {feeds.Describe()}{(versions.Count == 0 ? "" : $" (there are {string.Join(", ", versions.Select(v => v.Version).Distinct().OrderDescending().Take(5))})")}");
    }

    // The package's dependencies for the host's framework, from its nuspec, without what the host shares.
    private static async Task<SourcePackageDependencyInfo> DescribeAsync(PackageIdentity package, SourceRepository feed, PluginFeeds feeds, CancellationToken cancel)
    {
        FindPackageByIdResource byId = await feed.RequireAsync<FindPackageByIdResource>(cancel).ConfigureAwait(false);
        FindPackageByIdDependencyInfo info = await byId.GetDependencyInfoAsync(package.Id, package.Version, feeds.Cache, PluginFeeds.Log, cancel).ConfigureAwait(false)
            ?? throw new PluginInstallException($"{package}: not found on {feed.PackageSource.Source}");
        PackageDependencyGroup? group = NuGetFrameworkUtility.GetNearest(info.DependencyGroups, Framework, g => g.TargetFramework);
        var dependencies = (group?.Packages ?? []).Where(d => !HostShared.Contains(d.Id));
        return new SourcePackageDependencyInfo(package.Id, package.Version, dependencies, listed: true, feed);
    }
}
