using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.ObjectStore;
using NATS.Client.ObjectStore.Models;

namespace Conduit.Host.Scale;

/// <summary>
/// Jobs' files in JetStream's object store (a stream, so nats-server 2.9 has it): checkpoints and exported models, each
/// under <see cref="NatsObjectKey"/> and stamped with the attempt that wrote it. A download is checked against the
/// object's SHA-256 digest, and skipped when the file on disk has that digest already (a shared file system).
/// </summary>
internal sealed class NatsJobObjects(INatsJSContext js, INatsObjStore bucket)
{
    /// <summary>The object's metadata key holding the attempt that wrote it.</summary>
    public const string AttemptKey = "conduit-attempt";

    /// <summary>Creates the bucket when missing (the server, at start) or opens it.</summary>
    public static async Task<NatsJobObjects> OpenAsync(INatsJSContext js, CancellationToken cancellationToken) =>
        new(js, await new NatsObjContext(js).CreateObjectStoreAsync(new NatsObjConfig(NatsNames.FilesBucket), cancellationToken).ConfigureAwait(false));

    /// <summary>Uploads <paramref name="file"/> as <paramref name="key"/>, written by <paramref name="attempt"/>.</summary>
    public async Task PutAsync(string key, string file, int attempt, CancellationToken cancellationToken)
    {
        await using FileStream stream = File.OpenRead(file);
        var metadata = new ObjectMetadata
        {
            Name = key,
            Metadata = new Dictionary<string, string> { [AttemptKey] = attempt.ToString(CultureInfo.InvariantCulture) },
        };
        await bucket.PutAsync(metadata, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The objects whose names start with <paramref name="prefix"/>.</summary>
    public async IAsyncEnumerable<ObjectMetadata> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // ListAsync ends after the last object it finds, but waits for the first forever (and its OnNoData, seen on
        // nats-server 2.9, ends it before any): ask the stream first whether there is any object at all.
        string objects = $"$O.{NatsNames.FilesBucket}.M.>";
        INatsJSStream stream = await js.GetStreamAsync($"OBJ_{NatsNames.FilesBucket}", new StreamInfoRequest { SubjectsFilter = objects }, cancellationToken).ConfigureAwait(false);
        if (stream.Info.State.Subjects is not { Count: > 0 })
        {
            yield break;
        }
        await foreach (ObjectMetadata meta in bucket.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (meta.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return meta;
            }
        }
    }

    /// <summary>The attempt that wrote <paramref name="key"/>; 0 when it is missing or unstamped.</summary>
    public async Task<int> AttemptOfAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            ObjectMetadata meta = await bucket.GetInfoAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            return meta.Metadata?.GetValueOrDefault(AttemptKey) is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out int attempt) ? attempt : 0;
        }
        catch (NatsObjNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Whether the store holds <paramref name="key"/>.</summary>
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await bucket.GetInfoAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NatsObjNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Writes object <paramref name="key"/> to <paramref name="target"/>.</summary>
    /// <exception cref="InvalidDataException">The store has no such object.</exception>
    public async Task DownloadAsync(string key, string target, CancellationToken cancellationToken)
    {
        ObjectMetadata meta;
        try
        {
            meta = await bucket.GetInfoAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsObjNotFoundException)
        {
            throw new InvalidDataException($"{key} is not in the object store");
        }
        await DownloadAsync(meta, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="meta"/>'s object to <paramref name="target"/>; false when the file there has its digest already.</summary>
    public async Task<bool> DownloadAsync(ObjectMetadata meta, string target, CancellationToken cancellationToken)
    {
        if (File.Exists(target) && SameDigest(meta.Digest, target))
        {
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string partial = target + ".download";
        await using (FileStream stream = File.Create(partial))
        {
            await bucket.GetAsync(meta.Name, stream, leaveOpen: true, cancellationToken).ConfigureAwait(false); // checks the digest
        }
        File.Move(partial, target, overwrite: true);
        // Upload order stands in for write order: resume's "newest checkpoint" goes by it.
        File.SetLastWriteTimeUtc(target, meta.MTime.UtcDateTime);
        return true;
    }

    /// <summary>Removes <paramref name="key"/>; a missing object is not an error.</summary>
    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await bucket.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsObjNotFoundException)
        {
        }
    }

    // The store writes "SHA-256=" and the digest in base64url (padded or not, by client).
    private static bool SameDigest(string? digest, string file)
    {
        if (digest is null || !digest.StartsWith("SHA-256=", StringComparison.Ordinal))
        {
            return false;
        }
        byte[] expected;
        try
        {
            expected = Base64Url.DecodeFromChars(digest.AsSpan("SHA-256=".Length).TrimEnd('='));
        }
        catch (FormatException)
        {
            return false;
        }
        using FileStream stream = File.OpenRead(file);
        return SHA256.HashData(stream).AsSpan().SequenceEqual(expected);
    }
}
