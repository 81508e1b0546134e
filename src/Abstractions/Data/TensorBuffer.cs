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
    public Type ElementType { get; }

    private static Type ElementTypeOf() =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(byte)
            ? typeof(T)
            : throw new NotSupportedException($"Tensors of {typeof(T).Name} are not supported; use float, double, int, long or byte.");
}
