using System.Buffers.Binary;
using Conduit.Data.Tests.Idx;
using Conduit.Host.Tests.Fuzz;
using CsCheck;

namespace Conduit.Data.Tests.Fuzz;

/// <summary>Runs alone, so that the bytes the process allocates during a sample are that sample's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationFuzzCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Fuzz: allocations measured";
}

/// <summary>
/// Hostile IDX files (the MNIST format): headers whose dimensions lie about the data, cut data, damaged gzip. The source
/// reads them or refuses them with an <see cref="InvalidDataException"/> in one line naming the file, and never
/// allocates for what a header claims beyond what the file can hold: an <see cref="OutOfMemoryException"/> or a
/// sample that allocates more than <see cref="MaxAllocation"/> is a finding.
/// </summary>
[Trait("Category", "Fuzz")]
[Collection(AllocationFuzzCollection.Name)]
public sealed class IdxFuzzTests : IDisposable
{
    // The files are at most a few kilobytes (inflating to at most about a thousand times that); reading one needs far less.
    private const long MaxAllocation = 64L << 20;

    private static readonly int[] Edges = [int.MaxValue, int.MinValue, -1, 255, 256, 46341, 65536, 1 << 20, 1 << 30];
    private static readonly byte[] TypeCodes = [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E];
    private readonly Support.TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Idx_files_of_any_header_and_data_are_read_or_refused_in_one_line()
    {
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "images.idx"), IdxFiles.UByte, [4, 2, 3], [.. Enumerable.Range(0, 24).Select(i => (double)i)]);
        string labels = IdxFiles.Write(Path.Combine(_temp.Path, "labels.idx"), IdxFiles.UByte, [4], [0, 1, 2, 1]);
        Gen<byte[]> files = Gen.OneOf(Mutations.Of(File.ReadAllBytes(images)), Mutations.Of(File.ReadAllBytes(labels)), LyingHeaders().Select(h => h.Bytes));
        Gen.Select(files, Gen.Int[0, 3], Gen.Bool).Sample((bytes, role, gzip) =>
        {
            string path = Unique(gzip ? "fuzzed-idx3-ubyte.gz" : "fuzzed-idx3-ubyte");
            File.WriteAllBytes(path, gzip ? Mutations.Gzip(bytes) : bytes);
            // The fuzzed file as the features, as the labels, or as both; with or without labels.
            (string, string?)[] settings = role switch
            {
                0 => [("path", path)],
                1 => [("path", path), ("labels", labels)],
                2 => [("path", images), ("labels", path)],
                _ => [("path", path), ("labels", path), ("task", "regression"), ("missing", "skip")],
            };
            Mutations.Bounded(() => Mutations.Refused<InvalidDataException>(() => IdxSource.Load(settings), path), path, MaxAllocation);
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time, threads: 1);
    }

    [Fact]
    public void Gzip_idx_files_whose_trailer_agrees_with_a_lying_header_are_refused_without_allocating_the_claim()
    {
        // A tiny gzip file whose recorded size is made to match what the header declares: only the inflated bytes tell.
        Gen.Select(LyingHeaders(), Gen.Bool).Sample((header, cut) =>
        {
            byte[] gzip = Mutations.Gzip(header.Bytes);
            BinaryPrimitives.WriteUInt32LittleEndian(gzip.AsSpan(gzip.Length - 4), (uint)header.Declared);
            string path = Unique("lying-idx3-ubyte.gz");
            File.WriteAllBytes(path, cut ? gzip[..^8] : gzip);
            Mutations.Bounded(() => Mutations.Refused<InvalidDataException>(() => IdxSource.Load(("path", path)), path), path, MaxAllocation);
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time, threads: 1);
    }

    // Headers of a known type code (mostly) and dimensions from the edges of int: overflowing products, huge claims.
    private static Gen<(byte[] Bytes, long Declared)> LyingHeaders()
    {
        Gen<int> dimension = Gen.OneOf(Gen.Int[0, 16], Gen.Int[0, Edges.Length - 1].Select(i => Edges[i]), Gen.Int);
        Gen<byte> type = Gen.OneOf(Gen.Int[0, TypeCodes.Length - 1].Select(i => TypeCodes[i]), Gen.Byte);
        return Gen.Select(type, dimension.Array[1, 6], Gen.Byte.Array[0, 512], (code, dims, data) =>
        {
            byte[] bytes = new byte[4 + (4 * dims.Length) + data.Length];
            bytes[2] = code;
            bytes[3] = (byte)dims.Length;
            for (int i = 0; i < dims.Length; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
            }
            data.CopyTo(bytes.AsSpan(4 + (4 * dims.Length)));
            int size = code switch { 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 1 };
            long declared = unchecked(4 + (4 * dims.Length) + dims.Aggregate((long)size, (p, d) => p * d));
            return (bytes, declared);
        });
    }

    private string Unique(string name) => Path.Combine(_temp.Path, $"{Guid.NewGuid():N}-{name}");
}
