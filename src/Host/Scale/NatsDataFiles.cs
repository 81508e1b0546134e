using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Conduit.Host.Server;

namespace Conduit.Host.Scale;

/// <summary>A data file a job reads, as it travels: its SHA-256 (hex, its name in the object store) and its file name.</summary>
internal sealed record NatsDataFile(string Hash, string Name);

/// <summary>
/// Jobs' data files in the object store, named by content (<c>data/sha256/&lt;hex&gt;</c>): the server puts each file
/// once however many jobs read it, and a worker with a folder of its own keeps one verified copy per hash, so a file is
/// downloaded once per machine and a job runs against exactly the bytes the server checked it with.
/// </summary>
internal sealed class NatsDataFiles(NatsJobObjects objects)
{
    // Hashing a large file again for every job is the cost this avoids; a file changed in place gets a new entry.
    private readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> _hashes = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _downloads = new(StringComparer.Ordinal);

    public static string Key(string hash) => $"data/sha256/{hash}";

    /// <summary>The server's side: uploads each file the job's data section names (when the store lacks it); returns them by key.</summary>
    public async Task<Dictionary<string, NatsDataFile>> UploadAsync(string document, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, NatsDataFile>(StringComparer.Ordinal);
        if (JsonNode.Parse(document)?["data"] is not JsonObject data)
        {
            return files;
        }
        foreach (var (key, value) in data)
        {
            // A folder of files (a dataset split in parts) still travels as a path: only single files go by hash.
            if (JobDocuments.IsFileKey(key) && value is JsonValue v && v.TryGetValue(out string? path) && File.Exists(path))
            {
                string hash = HashOf(path);
                if (!await objects.ExistsAsync(Key(hash), cancellationToken).ConfigureAwait(false))
                {
                    await objects.PutAsync(Key(hash), path, 0, cancellationToken).ConfigureAwait(false);
                }
                files[key] = new NatsDataFile(hash, Path.GetFileName(path));
            }
        }
        return files;
    }

    /// <summary>A worker's side: the copy of <paramref name="file"/> under <paramref name="cache"/>, downloaded and verified when missing.</summary>
    /// <returns>Its path, and whether it was downloaded now.</returns>
    /// <exception cref="InvalidDataException">The name or hash is not usable, or the bytes have another SHA-256.</exception>
    public async Task<(string Path, bool Downloaded)> LocalCopyAsync(NatsDataFile file, string cache, CancellationToken cancellationToken)
    {
        // Both come off the network and become a path.
        if (file.Hash.Length != 64 || !file.Hash.All(char.IsAsciiHexDigitLower) || file.Name.Length == 0 || file.Name != Path.GetFileName(file.Name) || file.Name is "." or "..")
        {
            throw new InvalidDataException($"data file '{file.Name}' ({file.Hash}): not a file name and a SHA-256");
        }
        string target = Path.Combine(cache, file.Hash, file.Name);
        SemaphoreSlim gate = _downloads.GetOrAdd(target, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(target))
            {
                return (target, false); // only ever moved there once verified
            }
            string staging = Path.Combine(cache, file.Hash, $".{Guid.NewGuid():N}.download");
            try
            {
                await objects.DownloadAsync(Key(file.Hash), staging, cancellationToken).ConfigureAwait(false);
                string actual = HashOf(staging);
                if (actual != file.Hash)
                {
                    throw new InvalidDataException($"data file '{file.Name}': its SHA-256 is {actual}, not {file.Hash}");
                }
                File.Move(staging, target, overwrite: true);
            }
            finally
            {
                File.Delete(staging);
            }
            return (target, true);
        }
        finally
        {
            gate.Release();
        }
    }

    private string HashOf(string path)
    {
        var info = new FileInfo(path);
        return _hashes.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), _ =>
        {
            using FileStream stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
