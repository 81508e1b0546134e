using System.Numerics;
using System.Runtime.InteropServices;
using Conduit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>
/// Turns framework-neutral buffers into tensors with exactly one copy, into memory libtorch allocates.
/// </summary>
/// <remarks>
/// Sharing the buffer's managed array with the tensor (no copy at all) is not reproducible: libtorch's CPU matrix
/// products (MKL) round differently depending on the input's address alignment, and a managed array's alignment
/// changes from batch to batch, so the same batch could give a loss one unit in the last place apart. libtorch's own
/// allocations are always 64-byte aligned.
/// </remarks>
internal static class BatchTensors
{
    /// <summary>A float32 tensor of <paramref name="shape"/> holding <paramref name="buffer"/>'s elements.</summary>
    public static Tensor Float(ITensorBuffer buffer, long[] shape) =>
        Fill<float>(buffer, shape, ScalarType.Float32, () => $"Tensors of {buffer.ElementType.Name} cannot be read as numbers.");

    /// <summary>An int64 tensor of <paramref name="shape"/> holding <paramref name="buffer"/>'s class indices.</summary>
    public static Tensor Long(ITensorBuffer buffer, long[] shape) =>
        buffer.ElementType == typeof(float) || buffer.ElementType == typeof(double)
            ? throw new ArgumentException(ClassIndicesOnly(buffer), nameof(buffer))
            : Fill<long>(buffer, shape, ScalarType.Int64, () => ClassIndicesOnly(buffer));

    private static string ClassIndicesOnly(ITensorBuffer buffer) =>
        $"Classification targets must be class indices (Int64, Int32 or Byte), not {buffer.ElementType.Name}.";

    // One copy into libtorch's memory, converting element by element when the buffer holds another numeric type.
    private static Tensor Fill<T>(ITensorBuffer buffer, long[] shape, ScalarType type, Func<string> unsupported)
        where T : unmanaged, INumberBase<T>
    {
        Tensor tensor = torch.empty(shape, type);
        Span<T> target = MemoryMarshal.Cast<byte, T>(tensor.bytes);
        switch (buffer)
        {
            case TensorBuffer<T> same:
                same.Memory.Span.CopyTo(target);
                break;
            case TensorBuffer<float> f:
                Convert(f.Memory.Span, target);
                break;
            case TensorBuffer<double> d:
                Convert(d.Memory.Span, target);
                break;
            case TensorBuffer<int> n:
                Convert(n.Memory.Span, target);
                break;
            case TensorBuffer<long> l:
                Convert(l.Memory.Span, target);
                break;
            case TensorBuffer<byte> b:
                Convert(b.Memory.Span, target);
                break;
            default:
                tensor.Dispose();
                throw new ArgumentException(unsupported(), nameof(buffer));
        }
        return tensor;
    }

    // Element-wise C# conversion (a cast) of every element of a buffer of another numeric type.
    private static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> source, Span<TTo> target)
        where TFrom : INumberBase<TFrom>
        where TTo : INumberBase<TTo>
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = TTo.CreateTruncating(source[i]);
        }
    }
}
