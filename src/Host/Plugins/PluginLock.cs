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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private PluginLock(string path, Dictionary<string, LockedPlugin> plugins)
    {
        Path = path;
        Plugins = plugins;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>The locked plugins by id.</summary>
    public IReadOnlyDictionary<string, LockedPlugin> Plugins { get; }

    /// <summary>One locked plugin: its version and its files' hashes (paths relative to its folder, '/'-separated).</summary>
    public sealed record LockedPlugin(string Version, SortedDictionary<string, string> Files);

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
        File.WriteAllText(path, JsonSerializer.Serialize(new { Plugins = plugins }, Json));
        return new PluginLock(System.IO.Path.GetFullPath(path), new Dictionary<string, LockedPlugin>(plugins, StringComparer.Ordinal));
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
            return new PluginLock(System.IO.Path.GetFullPath(path), new Dictionary<string, LockedPlugin>(plugins, StringComparer.Ordinal));
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

    private sealed record LockFile(Dictionary<string, LockedPlugin>? Plugins);
}
