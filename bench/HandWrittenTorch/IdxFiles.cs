using System.Buffers.Binary;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace HandWrittenTorch;

/// <summary>Reads the benchmark's IDX files (MNIST's format: a big-endian header, then big-endian values) into tensors.</summary>
internal static class IdxFiles
{
    private const byte Float32 = 0x0D;
    private const byte UnsignedByte = 0x08;

    /// <summary>Features: a rank-2 float32 file read straight into one <c>[rows, features]</c> tensor.</summary>
    public static Tensor ReadFeatures(string path)
    {
        using FileStream file = File.OpenRead(path);
        int[] shape = ReadHeader(file, path, Float32, rank: 2);
        Tensor features = empty(shape[0], shape[1], dtype: ScalarType.Float32);
        // Into the tensor's own storage: no second copy of the data set in managed memory.
        Span<byte> storage = features.bytes;
        file.ReadExactly(storage);
        if (BitConverter.IsLittleEndian)
        {
            Span<int> words = MemoryMarshal.Cast<byte, int>(storage);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        return features;
    }

    /// <summary>Labels: a rank-1 unsigned byte file as an int64 tensor of class indices.</summary>
    public static Tensor ReadLabels(string path)
    {
        using FileStream file = File.OpenRead(path);
        int[] shape = ReadHeader(file, path, UnsignedByte, rank: 1);
        var bytes = new byte[shape[0]];
        file.ReadExactly(bytes);
        return tensor(Array.ConvertAll(bytes, b => (long)b));
    }

    private static int[] ReadHeader(FileStream file, string path, byte type, int rank)
    {
        Span<byte> magic = stackalloc byte[4];
        file.ReadExactly(magic);
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != type || magic[3] != rank)
        {
            throw new InvalidDataException($"{path}: expected an IDX file of type 0x{type:X2} and rank {rank}");
        }
        var shape = new int[rank];
        Span<byte> dimension = stackalloc byte[4];
        for (int i = 0; i < rank; i++)
        {
            file.ReadExactly(dimension);
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dimension);
        }
        return shape;
    }
}
