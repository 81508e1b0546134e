namespace Conduit.Data;

/// <summary>The element type of a <see cref="TensorBuffer{T}"/>.</summary>
public enum TensorElementType
{
    /// <summary>32-bit floating point (features, regression targets).</summary>
    Float32,

    /// <summary>64-bit floating point.</summary>
    Float64,

    /// <summary>32-bit signed integer.</summary>
    Int32,

    /// <summary>64-bit signed integer (class indices).</summary>
    Int64,

    /// <summary>Unsigned byte (raw image pixels).</summary>
    UInt8,
}
