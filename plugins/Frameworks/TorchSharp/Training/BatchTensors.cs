using System.Runtime.InteropServices;
using Conduit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>
/// Turns framework-neutral buffers into tensors. Float features and int64 labels that sit in managed arrays are
/// shared with the tensor, not copied (the tensor pins the array until it is disposed, at the end of the step);
/// other element types are converted once.
/// </summary>
internal static class BatchTensors
{
    /// <summary>A float32 tensor of <paramref name="shape"/> over <paramref name="buffer"/>'s elements.</summary>
    public static Tensor Float(ITensorBuffer buffer, long[] shape)
    {
        Tensor flat = buffer switch
        {
            TensorBuffer<float> f => Share(f.Memory, ScalarType.Float32),
            TensorBuffer<double> d => Share(Convert(d.Memory.Span, v => (float)v), ScalarType.Float32),
            TensorBuffer<int> i => Share(Convert(i.Memory.Span, v => (float)v), ScalarType.Float32),
            TensorBuffer<long> l => Share(Convert(l.Memory.Span, v => (float)v), ScalarType.Float32),
            TensorBuffer<byte> b => Share(Convert(b.Memory.Span, v => (float)v), ScalarType.Float32),
            _ => throw new ArgumentException($"Tensors of {buffer.ElementType} cannot be read as features.", nameof(buffer)),
        };
        return flat.view(shape);
    }

    /// <summary>An int64 tensor of <paramref name="shape"/> over <paramref name="buffer"/>'s elements (class indices).</summary>
    public static Tensor Long(ITensorBuffer buffer, long[] shape)
    {
        Tensor flat = buffer switch
        {
            TensorBuffer<long> l => Share(l.Memory, ScalarType.Int64),
            TensorBuffer<int> i => Share(Convert(i.Memory.Span, v => (long)v), ScalarType.Int64),
            TensorBuffer<byte> b => Share(Convert(b.Memory.Span, v => (long)v), ScalarType.Int64),
            _ => throw new ArgumentException($"Classification targets must be class indices (Int64, Int32 or UInt8), not {buffer.ElementType}.", nameof(buffer)),
        };
        return flat.view(shape);
    }

    private static Tensor Share<T>(T[] array, ScalarType type)
        where T : unmanaged => torch.frombuffer(array, type);

    private static Tensor Share<T>(Memory<T> memory, ScalarType type)
        where T : unmanaged
    {
        if (MemoryMarshal.TryGetArray((ReadOnlyMemory<T>)memory, out ArraySegment<T> segment) && segment.Array is { } array && segment.Count > 0)
        {
            return torch.frombuffer(array, type, segment.Count, segment.Offset);
        }
        return torch.frombuffer(memory.ToArray(), type);
    }

    private static TOut[] Convert<TIn, TOut>(ReadOnlySpan<TIn> source, Func<TIn, TOut> convert)
    {
        var result = new TOut[source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            result[i] = convert(source[i]);
        }
        return result;
    }
}
