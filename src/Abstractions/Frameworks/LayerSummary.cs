namespace Conduit.Frameworks;

/// <summary>One row of a model summary.</summary>
/// <param name="Name">The layer's name in the model (<c>fc1</c>, <c>conv2</c>).</param>
/// <param name="Type">The layer's type (<c>Linear</c>, <c>Conv2d</c>).</param>
/// <param name="OutputShape">The layer's output shape for one batch (<c>[-1, 128]</c>).</param>
/// <param name="Parameters">The layer's own parameters.</param>
/// <param name="Trainable">Whether its parameters are trained.</param>
public sealed record LayerSummary(string Name, string Type, string OutputShape, long Parameters, bool Trainable);
