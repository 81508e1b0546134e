using System.Security.Cryptography;
using System.Text.Json;
using Conduit.Plugins;

namespace Conduit.Host.Plugins;

/// <summary>
/// <c>plugins.lock</c>: the SHA-256 of every file of every plugin folder, written by <c>conduit plugins lock</c>. Under
/// a lock, a plugin whose files differ in any way (changed, added, missing) or that the lock does not list is refused
/// before any of its code runs. A lock pins what was reviewed; it does not make a plugin safe: plugins are code
/// running in the host's process with the host's rights.
/// </summary>
public sealed class PluginLock
{
    /// <summary>The lock file's usual name.</summary>
    public const string FileName = "plugins.lock";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // base64 hashes as they are: '+' not '\u002B'
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private PluginLock(string path, Dictionary<string, LockedPlugin> plugins, SortedDictionary<string, string>? packages = null)
    {
        Path = path;
        Plugins = plugins;
        Packages = packages ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>The locked plugins by id.</summary>
    public IReadOnlyDictionary<string, LockedPlugin> Plugins { get; }

    /// <summary>
    /// The SHA-512 (base64, as NuGet writes it) of every package version <c>conduit plugins install</c> has seen, by
    /// <c>id/version</c> in lower case. Kept when a plugin is removed: a published version never changes, so a
    /// package that comes back with other content for the same version is refused.
    /// </summary>
    public IReadOnlyDictionary<string, string> Packages { get; }

    /// <summary>One locked plugin: its version, its files' hashes (paths relative to its folder, '/'-separated) and, when it was installed from a feed, its package.</summary>
    public sealed record LockedPlugin(string Version, SortedDictionary<string, string> Files, PluginPackageOrigin? Package = null);

    /// <summary>The package a plugin folder was installed from, and the feed that served it.</summary>
    public sealed record PluginPackageOrigin(string Id, string Version, string Source);

    /// <summary>Hashes every plugin folder under <paramref name="roots"/> and writes the lock to <paramref name="path"/>.</summary>
    /// <returns>The lock written.</returns>
    public static PluginLock Write(string path, IEnumerable<string> roots)
    {
        var plugins = new SortedDictionary<string, LockedPlugin>(StringComparer.Ordinal);
        foreach (string folder in PluginDiscovery.FindPluginFolders(roots))
        {
            string manifestPath = System.IO.Path.Combine(folder, PluginManifest.FileName);
            if (!File.Exists(manifestPath))
            {
                continue;
            }
            PluginManifest manifest = PluginManifestReader.Read(manifestPath);
            plugins[manifest.Id] = new LockedPlugin(manifest.Version.ToString(), Hash(folder));
        }
        // What an install recorded stays: the packages seen, and the package of a plugin still at that version. A lock
        // that cannot be read is replaced, as it was before installs recorded anything in it.
        PluginLock? before = null;
        try
        {
            before = File.Exists(path) ? Read(path) : null;
        }
        catch (InvalidDataException)
        {
        }
        foreach (var (id, plugin) in plugins.ToList())
        {
            if (before?.Plugins.GetValueOrDefault(id) is { Package: { } origin } old && old.Version == plugin.Version)
            {
                plugins[id] = plugin with { Package = origin };
            }
        }
        var written = new PluginLock(System.IO.Path.GetFullPath(path), new Dictionary<string, LockedPlugin>(plugins, StringComparer.Ordinal),
            before is null ? null : new SortedDictionary<string, string>(before.Packages.ToDictionary(), StringComparer.Ordinal));
        written.Save();
        return written;
    }

    /// <summary>The lock at <paramref name="path"/>, or an empty one (not yet saved) when there is no such file.</summary>
    public static PluginLock ReadOrEmpty(string path) =>
        File.Exists(path) ? Read(path) : new PluginLock(System.IO.Path.GetFullPath(path), new Dictionary<string, LockedPlugin>(StringComparer.Ordinal));

    /// <summary>This lock with <paramref name="id"/> locked to the files of <paramref name="folder"/>, and <paramref name="packages"/> recorded.</summary>
    public PluginLock With(string id, string folder, string version, PluginPackageOrigin origin, IEnumerable<KeyValuePair<string, string>> packages)
    {
        var plugins = new Dictionary<string, LockedPlugin>(Plugins, StringComparer.Ordinal) { [id] = new LockedPlugin(version, Hash(folder), origin) };
        var seen = new SortedDictionary<string, string>(Packages.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, hash) in packages)
        {
            seen[key] = hash;
        }
        return new PluginLock(Path, plugins, seen);
    }

    /// <summary>This lock without <paramref name="id"/>; the packages seen stay recorded.</summary>
    public PluginLock Without(string id) =>
        new(Path, Plugins.Where(p => p.Key != id).ToDictionary(StringComparer.Ordinal), new SortedDictionary<string, string>(Packages.ToDictionary(), StringComparer.Ordinal));

    /// <summary>Writes the lock: to a temporary file first, then in its place, so a crash leaves the old one or the new one.</summary>
    public void Save()
    {
        string temporary = Path + ".tmp";
        var file = new LockFile(
            new SortedDictionary<string, LockedPlugin>(Plugins.ToDictionary(), StringComparer.Ordinal),
            Packages.Count == 0 ? null : new SortedDictionary<string, string>(Packages.ToDictionary(), StringComparer.Ordinal));
        File.WriteAllText(temporary, JsonSerializer.Serialize(file, Json));
        File.Move(temporary, Path, overwrite: true);
    }

    /// <summary>Reads a lock written by <see cref="Write"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a plugin lock.</exception>
    public static PluginLock Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no plugin lock; write one with 'conduit plugins lock'.", path);
        }
        try
        {
            var file = JsonSerializer.Deserialize<LockFile>(File.ReadAllText(path), Json);
            if (file?.Plugins is not { } plugins)
            {
                throw new InvalidDataException($"{path}: not a plugin lock (no 'plugins' object).");
            }
            // JSON null deserializes into non-nullable places; Check would then fail far from the file.
            foreach (var (id, plugin) in plugins)
            {
                if (plugin?.Files is null)
                {
                    throw new InvalidDataException($"{path}: plugin '{id}' has no 'files' object; expected each file's SHA-256 as 'conduit plugins lock' writes it.");
                }
                if (plugin.Files.FirstOrDefault(f => f.Value is not { Length: 64 } hash || !hash.All(char.IsAsciiHexDigitLower)) is { Key: { } name, Value: var bad })
                {
                    throw new InvalidDataException($"{path}: plugin '{id}', file '{name}': {(bad is null ? "null" : JsonSerializer.Serialize(bad))} is not a SHA-256; expected 64 lowercase hex digits as 'conduit plugins lock' writes them.");
                }
            }
            return new PluginLock(System.IO.Path.GetFullPath(path), new Dictionary<string, LockedPlugin>(plugins, StringComparer.Ordinal), file.Packages);
        }
        catch (JsonException e)
        {
            // System.Text.Json quotes the bad token as it is, line breaks included: keep the message one line.
            string reason = e.Message.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            throw new InvalidDataException($"{path}: not a plugin lock: {reason}", e);
        }
    }

    /// <summary>Why <paramref name="folder"/> (plugin <paramref name="id"/>) does not match the lock; null when it does.</summary>
    public string? Check(string id, string folder)
    {
        if (!Plugins.TryGetValue(id, out LockedPlugin? locked))
        {
            return $"not in {FileName} ({Path}); review it, then run 'conduit plugins lock' again";
        }
        SortedDictionary<string, string> actual = Hash(folder);
        foreach (var (file, hash) in locked.Files)
        {
            if (!actual.TryGetValue(file, out string? now))
            {
                return $"'{file}' is listed in {FileName} but missing";
            }
            if (now != hash)
            {
                return $"'{file}' changed since {FileName} was written (SHA-256 {now[..12]}..., locked {hash[..12]}...)";
            }
        }
        string? added = actual.Keys.FirstOrDefault(f => !locked.Files.ContainsKey(f));
        return added is null ? null : $"'{added}' is not in {FileName}";
    }

    private static SortedDictionary<string, string> Hash(string folder)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            string relative = System.IO.Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (relative == PluginManager.DisabledMarker)
            {
                continue; // switching a plugin off is not a change of its code
            }
            using FileStream stream = File.OpenRead(file);
            files[relative] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        return files;
    }

    private sealed record LockFile(SortedDictionary<string, LockedPlugin>? Plugins, SortedDictionary<string, string>? Packages);
}
