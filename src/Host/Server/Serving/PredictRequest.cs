namespace Conduit.Host.Server.Serving;

/// <summary>The body of <c>POST /api/models/{name}/predict</c>: one example or several, each the model's input values flattened.</summary>
/// <param name="Input">One example.</param>
/// <param name="Inputs">Several examples.</param>
public sealed record PredictRequest(float[]? Input, float[][]? Inputs);

/// <summary>The answer: each example's output row and, for a classifier, its most likely class.</summary>
/// <param name="Outputs">The model's output per example.</param>
/// <param name="Labels">The most likely class per example, when the model names its classes.</param>
public sealed record PredictResponse(float[][] Outputs, string[]? Labels);
