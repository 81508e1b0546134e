using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace Conduit.Host.Checkpoints;

/// <summary>
/// One self-describing checkpoint file: a magic, the metadata as JSON, the framework's state, and a SHA-256 of
/// everything before it. Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint
/// under the real name; read back only when every length and the hash check out.
/// </summary>
/// <remarks>
/// Layout: <c>"CONDUITCKPT"</c> + format byte (12 bytes) | metadata length (int32 LE) | metadata UTF-8 JSON |
/// state length (int64 LE) | state bytes | SHA-256 (32 bytes).
/// </remarks>
public static class CheckpointFile
{
    /// <summary>The file extension of checkpoints.</summary>
    public const string Extension = ".ckpt";

    private const byte FormatVersion = 1;
    private static readonly byte[] Magic = "CONDUITCKPT"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Writes a checkpoint atomically: <paramref name="writeState"/> writes the framework's state.</summary>
    /// <param name="path">Where the checkpoint goes (written to a temporary file first, then renamed).</param>
    /// <param name="metadata">The loop's position and the run's description.</param>
    /// <param name="writeState">Writes the session's state.</param>
    /// <param name="beforeCommit">Runs after the file is on disk and before the rename makes it the checkpoint (the loggers' barrier).</param>
    public static void Write(string path, CheckpointMetadata metadata, Action<Stream> writeState, Action? beforeCommit = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(writeState);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var state = new MemoryStream();
        writeState(state);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(metadata, Json);

        string temporary = path + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                void Put(ReadOnlySpan<byte> bytes)
                {
                    file.Write(bytes);
                    hash.AppendData(bytes);
                }
                Span<byte> number = stackalloc byte[8];
                Put(Magic);
                Put([FormatVersion]);
                BinaryPrimitives.WriteInt32LittleEndian(number, json.Length);
                Put(number[..4]);
                Put(json);
                BinaryPrimitives.WriteInt64LittleEndian(number, state.Length);
                Put(number);
                Put(state.GetBuffer().AsSpan(0, (int)state.Length));
                file.Write(hash.GetHashAndReset());
                file.Flush(flushToDisk: true);
            }
            beforeCommit?.Invoke();
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            // A full disk leaves a partial file: take it away, so the space and the name are free for the next checkpoint.
            DeleteQuietly(temporary);
            throw;
        }
    }

    // The write's own exception is the one to report; one from the clean-up would hide it.
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Reads and verifies a checkpoint.</summary>
    /// <exception cref="CheckpointCorruptException">The file is truncated, altered or not a checkpoint.</exception>
    public static (CheckpointMetadata Metadata, byte[] State) Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointCorruptException(path, e.Message);
        }
        int headerLength = Magic.Length + 1 + 4;
        if (bytes.Length < headerLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CheckpointCorruptException(path, "not a Conduit checkpoint (wrong magic)");
        }
        if (bytes[Magic.Length] != FormatVersion)
        {
            throw new CheckpointCorruptException(path, $"format version {bytes[Magic.Length]} is not supported (expected {FormatVersion})");
        }
        int jsonLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length + 1));
        long expected = (long)headerLength + jsonLength + 8;
        if (jsonLength < 0 || bytes.Length < expected)
        {
            throw new CheckpointCorruptException(path, $"truncated: {bytes.Length} bytes, the header alone needs {expected}");
        }
        long stateLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(headerLength + jsonLength));
        expected += stateLength + SHA256.HashSizeInBytes;
        if (stateLength < 0 || bytes.Length != expected)
        {
            throw new CheckpointCorruptException(path, bytes.Length < expected
                ? $"truncated: {bytes.Length} of {expected} bytes"
                : $"{bytes.Length - expected} unexpected bytes after the end");
        }
        int hashAt = bytes.Length - SHA256.HashSizeInBytes;
        if (!SHA256.HashData(bytes.AsSpan(0, hashAt)).AsSpan().SequenceEqual(bytes.AsSpan(hashAt)))
        {
            throw new CheckpointCorruptException(path, "SHA-256 mismatch: the content was altered or damaged");
        }
        CheckpointMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<CheckpointMetadata>(bytes.AsSpan(headerLength, jsonLength), Json)
                ?? throw new CheckpointCorruptException(path, "empty metadata");
        }
        catch (JsonException e)
        {
            throw new CheckpointCorruptException(path, $"metadata is not valid: {e.Message}");
        }
        byte[] state = bytes.AsSpan(headerLength + jsonLength + 8, (int)stateLength).ToArray();
        return (metadata, state);
    }
}
