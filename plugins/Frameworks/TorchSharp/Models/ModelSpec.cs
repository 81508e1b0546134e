using System.Globalization;
using System.Text;
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
    /// The architecture in one line, in the job's words; saved state records it, so that state is never loaded into
    /// another architecture.
    /// </summary>
    public string Signature
    {
        get
        {
            var text = new StringBuilder(Type switch { ModelType.Cnn => "cnn", ModelType.Linear => "linear", _ => "mlp" });
            text.Append(CultureInfo.InvariantCulture, $" input=[{string.Join(", ", InputShape)}]");
            if (Type == ModelType.Cnn)
            {
                text.Append(CultureInfo.InvariantCulture, $" channels=[{string.Join(", ", Channels)}] kernel_size={KernelSize}");
            }
            if (Type != ModelType.Linear)
            {
                text.Append(CultureInfo.InvariantCulture, $" hidden=[{string.Join(", ", Hidden)}] activation={Name(Activation)} dropout={Dropout:R} batch_norm={(BatchNorm ? "true" : "false")}");
            }
            text.Append(CultureInfo.InvariantCulture, $" outputs={Outputs} loss={Name(Loss)}");
            return text.ToString();
        }
    }

    private static string Name(ActivationKind activation) => activation switch
    {
        ActivationKind.LeakyRelu => "leaky_relu",
        _ => activation.ToString().ToLowerInvariant(),
    };

    private static string Name(LossKind loss) => loss switch
    {
        LossKind.CrossEntropy => "cross_entropy",
        LossKind.BinaryCrossEntropy => "bce",
        _ => "mse",
    };
}
