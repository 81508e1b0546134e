namespace Conduit.Frameworks;

/// <summary>One input or output of a model.</summary>
/// <param name="Name">Its name in the model.</param>
/// <param name="ElementType">The element type (<c>float32</c>, <c>int64</c>).</param>
/// <param name="Dimensions">Each dimension: a size, or the name of a dynamic axis (<c>batch</c>).</param>
public sealed record TensorDescription(string Name, string ElementType, IReadOnlyList<string> Dimensions)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {ElementType}[{string.Join(", ", Dimensions)}]";
}
