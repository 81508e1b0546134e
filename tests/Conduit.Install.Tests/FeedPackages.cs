using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Conduit.Install.Tests;

/// <summary>New packages made from a packed one, as a publisher (or an attacker) would put them on a feed.</summary>
internal static partial class FeedPackages
{
    /// <summary>
    /// Writes <paramref name="id"/> at <paramref name="toVersion"/> into <paramref name="feed"/> from its
    /// <paramref name="fromVersion"/> package there: the nuspec and plugin.json say the new version,
    /// <paramref name="editManifest"/> may change plugin.json further, <paramref name="extraFile"/> adds a file to the
    /// plugin folder. With the same version, it replaces the package: a tampered one.
    /// </summary>
    public static void Derive(string feed, string id, string fromVersion, string toVersion, Func<string, string>? editManifest = null, string? extraFile = null)
    {
        string source = FileFor(feed, id, fromVersion);
        using var original = new MemoryStream(File.ReadAllBytes(source));
        using var read = new ZipArchive(original, ZipArchiveMode.Read);
        File.Delete(source);
        using var written = ZipFile.Open(FileFor(feed, id, toVersion), ZipArchiveMode.Create);
        foreach (ZipArchiveEntry entry in read.Entries)
        {
            using Stream target = written.CreateEntry(entry.FullName).Open();
            using Stream content = entry.Open();
            bool nuspec = entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal), manifest = entry.FullName == "plugin/plugin.json";
            if (!nuspec && !manifest)
            {
                content.CopyTo(target);
                continue;
            }
            string text = new StreamReader(content).ReadToEnd();
            text = nuspec
                ? VersionElement().Replace(text, $"<version>{toVersion}</version>")
                : (editManifest ?? (m => m))(text.Replace($"\"version\": \"{fromVersion}\"", $"\"version\": \"{toVersion}\"", StringComparison.Ordinal));
            using var writer = new StreamWriter(target);
            writer.Write(text);
        }
        if (extraFile is not null)
        {
            using var writer = new StreamWriter(written.CreateEntry("plugin/" + extraFile).Open());
            writer.Write("not what was published");
        }
        if (fromVersion != toVersion)
        {
            // The original stays on the feed beside the new version.
            File.WriteAllBytes(source, original.ToArray());
        }
    }

    private static string FileFor(string feed, string id, string version) => Path.Combine(feed, $"{id}.{version}.nupkg");

    [GeneratedRegex("<version>[^<]*</version>")]
    private static partial Regex VersionElement();
}
