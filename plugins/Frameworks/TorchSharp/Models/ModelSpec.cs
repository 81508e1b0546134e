using System.Globalization;
using Conduit.Frameworks.TorchSharp.Losses;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>A validated <c>model</c> section, resolved against the data's schema: everything needed to build the model.</summary>
/// <param name="Type">The architecture.</param>
/// <param name="InputShape">The shape of one example as the model takes it: <c>[features]</c>, or <c>[C, H, W]</c> for a cnn.</param>
/// <param name="Hidden">The widths of the fully connected hidden layers.</param>
/// <param name="Activation">The activation after each hidden layer.</param>
/// <param name="Dropout">The dropout probability after each hidden fully connected layer; 0 for none.</param>
/// <param name="BatchNorm">Whether each hidden layer is followed by batch normalisation.</param>
/// <param name="Channels">The output channels of each convolution (cnn).</param>
/// <param name="KernelSize">The convolutions' square kernel size (cnn).</param>
/// <param name="Outputs">The width of the output layer.</param>
/// <param name="Loss">The loss, which also fixes the meaning of the outputs.</param>
internal sealed record ModelSpec(
    ModelType Type,
    IReadOnlyList<int> InputShape,
    IReadOnlyList<int> Hidden,
    ActivationKind Activation,
    double Dropout,
    bool BatchNorm,
    IReadOnlyList<int> Channels,
    int KernelSize,
    int Outputs,
    LossKind Loss)
{
    /// <summary>The number of input values of one example.</summary>
    public int InputSize => InputShape.Aggregate(1, (product, d) => product * d);

    /// <summary>
    /// The architecture in one line; saved state records it, so that state is never loaded into another architecture.
    /// </summary>
    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"{Type} input=[{string.Join(',', InputShape)}] hidden=[{string.Join(',', Hidden)}] channels=[{string.Join(',', Channels)}] "
        + $"kernel={KernelSize} activation={Activation} dropout={Dropout:R} batch_norm={BatchNorm} outputs={Outputs} loss={Loss}")
        .ToLowerInvariant();
}
