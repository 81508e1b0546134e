namespace Conduit.Data;

/// <summary>The dimensions of a tensor, outermost first (for a batch of images: <c>[N, C, H, W]</c>).</summary>
public sealed class TensorShape : IEquatable<TensorShape>
{
    private readonly int[] _dimensions;

    /// <summary>Creates a shape; every dimension must be zero or positive.</summary>
    public TensorShape(params ReadOnlySpan<int> dimensions)
    {
        foreach (int d in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dimensions));
        }
        _dimensions = dimensions.ToArray();
    }

    /// <summary>The dimensions.</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The dimension at <paramref name="axis"/>.</summary>
    public int this[int axis] => _dimensions[axis];

    /// <summary>The number of elements (the product of the dimensions; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in _dimensions)
            {
                n *= d;
            }
            return n;
        }
    }

    /// <summary>This shape with <paramref name="outer"/> prepended (a per-example shape made into a batch shape).</summary>
    public TensorShape Prepend(int outer) => new([outer, .. _dimensions]);

    /// <inheritdoc/>
    public bool Equals(TensorShape? other) => other is not null && _dimensions.AsSpan().SequenceEqual(other._dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TensorShape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in _dimensions)
        {
            hash.Add(d);
        }
        return hash.ToHashCode();
    }

    /// <summary>The shape as <c>[64, 1, 8, 8]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _dimensions) + "]";
}
