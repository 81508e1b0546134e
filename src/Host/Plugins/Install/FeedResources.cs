using NuGet.Protocol.Core.Types;

namespace Conduit.Host.Plugins.Install;

/// <summary>A feed's NuGet resources, or one clear line when the feed does not offer one.</summary>
internal static class FeedResources
{
    public static async Task<T> RequireAsync<T>(this SourceRepository feed, CancellationToken cancel) where T : class, INuGetResource =>
        await feed.GetResourceAsync<T>(cancel).ConfigureAwait(false)
            ?? throw new PluginInstallException($"{feed.PackageSource.Source}: not a NuGet feed Conduit can read (no {typeof(T).Name.Replace("Resource", "", StringComparison.Ordinal)})");
}
