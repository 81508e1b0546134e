using Conduit.Configuration;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>
/// A model architecture another plugin adds to the torchsharp framework: a job names it in <c>model.type</c>, and
/// the framework trains, checkpoints, summarizes and (when its layers translate) exports it like its own models.
/// A model plugin registers one into its services and declares <c>requires: ["torchsharp"]</c> in its manifest, so
/// that it loads against this plugin's TorchSharp and this interface.
/// </summary>
public interface ITorchArchitecture
{
    /// <summary>The <c>model.type</c> that selects it (<c>residual_mlp</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Builds the module, drawing its initial weights from TorchSharp's generator (seeded by the framework). A
    /// <see cref="TorchSharp.Modules.Sequential"/> shows each of its layers in the summary and exports layer by layer.
    /// </summary>
    /// <remarks>
    /// Read its settings from <see cref="TorchArchitectureContext.Settings"/>: a key of the <c>model</c> section that
    /// nothing reads is refused as unknown, and a problem recorded there is reported with every other.
    /// </remarks>
    /// <exception cref="ArgumentException">A setting is not valid; the message names the key (<c>model.width: ...</c>).</exception>
    nn.Module<Tensor, Tensor> Build(TorchArchitectureContext context);
}

/// <summary>What an architecture is built for.</summary>
/// <param name="InputShape">One example's shape as the model receives it (the data's feature shape).</param>
/// <param name="Outputs">The width of the output: one per class, or the regression targets.</param>
/// <param name="Settings">The job's <c>model</c> section.</param>
public sealed record TorchArchitectureContext(IReadOnlyList<int> InputShape, int Outputs, SettingsReader Settings);
