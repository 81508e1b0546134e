using NuGet.Common;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace Conduit.Host.Plugins.Install;

/// <summary>
/// The feeds plugins and their dependencies come from: those given with <c>--source</c> first, then the enabled
/// sources of the user's NuGet configuration (the nuget.config files NuGet itself reads from the working folder up).
/// </summary>
public sealed class PluginFeeds : IDisposable
{
    private PluginFeeds(IReadOnlyList<SourceRepository> repositories) => Repositories = repositories;

    /// <summary>The feeds, in the order they are asked.</summary>
    public IReadOnlyList<SourceRepository> Repositories { get; }

    /// <summary>Metadata is asked fresh and packages downloaded directly, so a feed's current content is what is checked.</summary>
    public SourceCacheContext Cache { get; } = new() { NoCache = true, DirectDownload = true };

    /// <summary>NuGet's log; quiet, since every failure comes back as an exception or an empty answer.</summary>
    public static ILogger Log => NullLogger.Instance;

    /// <summary>No feeds, for what needs none (removing a plugin).</summary>
    public static PluginFeeds None => new([]);

    /// <summary>The feeds for <paramref name="sources"/> (folders or URLs) and the user's configuration.</summary>
    public static PluginFeeds Load(IEnumerable<string> sources, string workingDirectory)
    {
        var given = sources.Select(s => new PackageSource(IsUrl(s) ? s : Path.GetFullPath(s, workingDirectory)));
        var configured = new PackageSourceProvider(Settings.LoadDefaultSettings(workingDirectory)).LoadPackageSources().Where(s => s.IsEnabled);
        return new PluginFeeds([.. given.Concat(configured).DistinctBy(s => s.Source).Select(Repository.Factory.GetCoreV3)]);
    }

    /// <summary>The versions of <paramref name="id"/> each feed has (none from a feed that does not answer).</summary>
    public async Task<IReadOnlyList<(SourceRepository Feed, NuGetVersion Version)>> VersionsAsync(string id, CancellationToken cancel)
    {
        var found = new List<(SourceRepository, NuGetVersion)>();
        foreach (SourceRepository feed in Repositories)
        {
            FindPackageByIdResource byId = await feed.RequireAsync<FindPackageByIdResource>(cancel).ConfigureAwait(false);
            IEnumerable<NuGetVersion> versions = await byId.GetAllVersionsAsync(id, Cache, Log, cancel).ConfigureAwait(false) ?? [];
            found.AddRange(versions.Select(v => (feed, v)));
        }
        return found;
    }

    /// <summary>The feeds' sources, for messages.</summary>
    public string Describe() => string.Join(", ", Repositories.Select(r => r.PackageSource.Source));

    /// <inheritdoc />
    public void Dispose() => Cache.Dispose();

    private static bool IsUrl(string source) =>
        source.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}
