using System.Security.Cryptography;
using NuGet.Packaging.Core;
using NuGet.Protocol.Core.Types;

namespace Conduit.Host.Plugins.Install;

/// <summary>A package downloaded from its feed into a file, with the SHA-512 of its bytes (base64, as NuGet records it).</summary>
/// <param name="Identity">The package id and version.</param>
/// <param name="File">The downloaded .nupkg.</param>
/// <param name="Sha512">The SHA-512 of the file.</param>
/// <param name="Source">The feed it came from.</param>
internal sealed record DownloadedPackage(PackageIdentity Identity, string File, string Sha512, string Source)
{
    /// <summary>The key of this package in plugins.lock: <c>id/version</c>, lower case.</summary>
    public string Key => $"{Identity.Id}/{Identity.Version.ToNormalizedString()}".ToLowerInvariant();

    /// <summary>Downloads <paramref name="package"/> from the feed that listed it into <paramref name="folder"/>.</summary>
    /// <exception cref="PluginInstallException">The feed does not give it.</exception>
    public static async Task<DownloadedPackage> DownloadAsync(SourcePackageDependencyInfo package, string folder, PluginFeeds feeds, CancellationToken cancel)
    {
        var identity = new PackageIdentity(package.Id, package.Version);
        string file = Path.Combine(folder, $"{package.Id}.{package.Version.ToNormalizedString()}.nupkg".ToLowerInvariant());
        SourceRepository feed = package.Source ?? throw new PluginInstallException($"{identity}: no feed listed it");
        FindPackageByIdResource byId = await feed.RequireAsync<FindPackageByIdResource>(cancel).ConfigureAwait(false);
        await using (FileStream output = System.IO.File.Create(file))
        {
            if (!await byId.CopyNupkgToStreamAsync(package.Id, package.Version, output, feeds.Cache, PluginFeeds.Log, cancel).ConfigureAwait(false))
            {
                throw new PluginInstallException($"{identity}: {feed.PackageSource.Source} listed it but did not give it");
            }
        }
        await using FileStream read = System.IO.File.OpenRead(file);
        string hash = Convert.ToBase64String(await SHA512.HashDataAsync(read, cancel).ConfigureAwait(false));
        return new DownloadedPackage(identity, file, hash, feed.PackageSource.Source);
    }
}
