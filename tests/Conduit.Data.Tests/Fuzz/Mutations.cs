using System.IO.Compression;
using CsCheck;

namespace Conduit.Data.Tests.Fuzz;

/// <summary>Damaged copies of a valid file, and the oracle every data-file target shares.</summary>
internal static class Mutations
{
    /// <summary>
    /// <paramref name="original"/> with bytes flipped, cut short, with one of <paramref name="insertions"/> put in or
    /// written over it, or with several such changes; and plain random bytes.
    /// </summary>
    public static Gen<byte[]> Of(byte[] original, params byte[][] insertions)
    {
        Gen<byte[]> insertion = insertions.Length == 0 ? Gen.Byte.Array[1, 16] : Gen.OneOf(Gen.Int[0, insertions.Length - 1].Select(i => insertions[i]), Gen.Byte.Array[1, 16]);
        Gen<Func<byte[], byte[]>> change = Gen.OneOf(
            Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, (at, value) => (Func<byte[], byte[]>)(b => Flip(b, at, value))),
            Gen.Int[0, int.MaxValue].Select(at => (Func<byte[], byte[]>)(b => b[..(at % (b.Length + 1))])),
            Gen.Select(Gen.Int[0, int.MaxValue], insertion, (at, inserted) => (Func<byte[], byte[]>)(b => Insert(b, at % (b.Length + 1), inserted))),
            Gen.Select(Gen.Int[0, int.MaxValue], insertion, (at, written) => (Func<byte[], byte[]>)(b => Overwrite(b, at, written))));
        return Gen.OneOf(
            change.Array[1, 8].Select(changes => changes.Aggregate(original, (bytes, c) => c(bytes))),
            Gen.Byte.Array[0, 1024]);
    }

    /// <summary><paramref name="bytes"/> as one gzip member.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }

    /// <summary>
    /// Accepted, or refused with <typeparamref name="TException"/> in one line that names the file; anything else fails
    /// with the file's bytes (base64), so a finding becomes a regression test without replaying the seed.
    /// </summary>
    public static void Refused<TException>(Action read, string file)
        where TException : Exception
    {
        string name = Path.GetFileName(file);
        try
        {
            read();
        }
        catch (TException e) when (!e.Message.TrimEnd().Contains('\n', StringComparison.Ordinal) && e.Message.Contains(name, StringComparison.Ordinal))
        {
        }
        catch (Exception e)
        {
            throw Finding(file, $"{e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>Runs <paramref name="read"/>, failing when the process allocates <paramref name="limit"/> bytes or more meanwhile.</summary>
    /// <remarks>Only meaningful when nothing else runs: one CsCheck thread, in a collection that runs alone.</remarks>
    public static void Bounded(Action read, string file, long limit)
    {
        long before = GC.GetTotalAllocatedBytes();
        read();
        long allocated = GC.GetTotalAllocatedBytes() - before;
        if (allocated >= limit)
        {
            throw Finding(file, $"reading allocated {allocated:N0} bytes; expected less than {limit:N0}", null);
        }
    }

    private static Xunit.Sdk.XunitException Finding(string file, string what, Exception? inner) =>
        new($"{Path.GetFileName(file)} (base64 {Convert.ToBase64String(File.ReadAllBytes(file))}): {what}", inner);

    private static byte[] Flip(byte[] bytes, int at, byte value)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }
        byte[] copy = [.. bytes];
        copy[at % copy.Length] ^= (byte)(value | 1);
        return copy;
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted) => [.. bytes[..at], .. inserted, .. bytes[at..]];

    private static byte[] Overwrite(byte[] bytes, int at, byte[] written)
    {
        byte[] copy = [.. bytes];
        int start = at % (copy.Length + 1);
        written.AsSpan(0, Math.Min(written.Length, copy.Length - start)).CopyTo(copy.AsSpan(start));
        return copy;
    }
}
