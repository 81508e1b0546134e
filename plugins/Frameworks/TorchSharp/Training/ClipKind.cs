namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>How gradients are clipped before each optimizer step.</summary>
internal enum ClipKind
{
    /// <summary>Not clipped.</summary>
    None,

    /// <summary>The total norm of all gradients is scaled down to the threshold.</summary>
    Norm,

    /// <summary>Each gradient element is clamped to [−threshold, threshold].</summary>
    Value,
}
