namespace Conduit.Data;

/// <summary>A framework-neutral tensor: a shape and contiguous row-major memory, without framework types.</summary>
public interface ITensorBuffer
{
    /// <summary>The shape.</summary>
    TensorShape Shape { get; }

    /// <summary>The element type: <see cref="float"/>, <see cref="double"/>, <see cref="int"/>, <see cref="long"/> or <see cref="byte"/>.</summary>
    Type ElementType { get; }
}
