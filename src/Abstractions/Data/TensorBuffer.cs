namespace Conduit.Data;

/// <summary>A framework-neutral tensor of <typeparamref name="T"/>: a shape over contiguous row-major memory.</summary>
/// <typeparam name="T">One of <see cref="float"/>, <see cref="double"/>, <see cref="int"/>, <see cref="long"/>, <see cref="byte"/>.</typeparam>
public sealed class TensorBuffer<T> : ITensorBuffer
    where T : unmanaged
{
    /// <summary>Wraps <paramref name="memory"/> (not copied) as a tensor of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The memory's length is not the shape's element count.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public TensorBuffer(Memory<T> memory, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (memory.Length != shape.ElementCount)
        {
            throw new ArgumentException($"A tensor of shape {shape} holds {shape.ElementCount} elements, but the memory has {memory.Length}.", nameof(memory));
        }
        ElementType = ElementTypeOf();
        Memory = memory;
        Shape = shape;
    }

    /// <summary>The elements, row-major.</summary>
    public Memory<T> Memory { get; }

    /// <inheritdoc/>
    public TensorShape Shape { get; }

    /// <inheritdoc/>
    public TensorElementType ElementType { get; }

    private static TensorElementType ElementTypeOf() => typeof(T) switch
    {
        var t when t == typeof(float) => TensorElementType.Float32,
        var t when t == typeof(double) => TensorElementType.Float64,
        var t when t == typeof(int) => TensorElementType.Int32,
        var t when t == typeof(long) => TensorElementType.Int64,
        var t when t == typeof(byte) => TensorElementType.UInt8,
        var t => throw new NotSupportedException($"Tensors of {t.Name} are not supported; use float, double, int, long or byte."),
    };
}
