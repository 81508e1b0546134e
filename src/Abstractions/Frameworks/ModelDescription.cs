namespace Conduit.Frameworks;

/// <summary>What <c>conduit models inspect</c> shows of a model file, whatever its framework.</summary>
/// <param name="Format">The file format (<c>onnx</c>, <c>conduit checkpoint</c>).</param>
/// <param name="Inputs">The model's inputs.</param>
/// <param name="Outputs">The model's outputs.</param>
/// <param name="Parameters">The number of trained values (weights, biases, running statistics).</param>
/// <param name="Metadata">The model's key/value metadata (producer, class names, preprocessing, ...).</param>
public sealed record ModelDescription(
    string Format,
    IReadOnlyList<TensorDescription> Inputs,
    IReadOnlyList<TensorDescription> Outputs,
    long Parameters,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The operator set version (ONNX's default domain), when the format has one.</summary>
    public int? Opset { get; init; }

    /// <summary>The tool that wrote the file and its version, when recorded.</summary>
    public string? Producer { get; init; }

    /// <summary>Where the model runs (<c>cpu</c>, <c>cuda:0</c>) and with which provider, when loaded.</summary>
    public string? Device { get; init; }
}
