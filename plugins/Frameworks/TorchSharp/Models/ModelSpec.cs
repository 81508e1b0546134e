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
    /// <summary>The plugin architecture, when <see cref="Type"/> is <see cref="ModelType.Plugin"/>.</summary>
    public ITorchArchitecture? Architecture { get; init; }

    /// <summary>A PyTorch state dict (<c>.pt</c>, <c>.pth</c>) or safetensors file the weights start from (<c>model.init_from</c>).</summary>
    public string? InitFrom { get; init; }

    /// <summary>The job's <c>model</c> section, for a plugin architecture.</summary>
    public Conduit.Configuration.SettingsReader? Settings { get; init; }

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
            var text = new StringBuilder(Type switch { ModelType.Cnn => "cnn", ModelType.Linear => "linear", ModelType.Plugin => Architecture!.Name, _ => "mlp" });
            text.Append(CultureInfo.InvariantCulture, $" input=[{string.Join(", ", InputShape)}]");
            if (Type == ModelType.Plugin)
            {
                // The architecture's own settings, in key order: a state saved under other settings does not load.
                foreach (var (key, value) in Leaves(Settings!.Configuration, "").Where(kv => kv.Key is not ("type" or "loss" or "outputs" or "framework" or "init_from")).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    text.Append(CultureInfo.InvariantCulture, $" {key}={value}");
                }
                text.Append(CultureInfo.InvariantCulture, $" outputs={Outputs} loss={Name(Loss)}");
                return text.ToString();
            }
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

    private static IEnumerable<KeyValuePair<string, string>> Leaves(Microsoft.Extensions.Configuration.IConfiguration section, string prefix)
    {
        foreach (var child in section.GetChildren())
        {
            string key = prefix.Length == 0 ? child.Key : $"{prefix}.{child.Key}";
            if (child.Value is { } value)
            {
                yield return new(key, value);
            }
            foreach (var leaf in Leaves(child, key))
            {
                yield return leaf;
            }
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
