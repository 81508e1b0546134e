using TorchSharp;
using TorchSharp.Modules;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>Gradient clipping as the trainer configures it (<c>gradient_clip_val</c>, <c>gradient_clip_algorithm</c>).</summary>
/// <param name="Kind">How to clip.</param>
/// <param name="Threshold">The threshold.</param>
internal readonly record struct GradientClipping(ClipKind Kind, double Threshold)
{
    /// <summary>Clips the gradients of <paramref name="parameters"/> in place.</summary>
    public void Apply(IReadOnlyList<Parameter> parameters)
    {
        switch (Kind)
        {
            case ClipKind.Norm:
                torch.nn.utils.clip_grad_norm_(parameters, Threshold);
                break;
            case ClipKind.Value:
                torch.nn.utils.clip_grad_value_(parameters, Threshold);
                break;
        }
    }
}
