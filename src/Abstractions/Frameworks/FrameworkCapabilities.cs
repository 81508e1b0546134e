namespace Conduit.Frameworks;

/// <summary>What a framework adapter can do.</summary>
[Flags]
public enum FrameworkCapabilities
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Trains models (<see cref="IFramework.CreateTrainingSession"/>).</summary>
    Train = 1,

    /// <summary>Runs inference on saved models (<see cref="IFramework.LoadModel"/>).</summary>
    Infer = 2,

    /// <summary>Exports trained models to another format (its training sessions implement <see cref="IModelExporter"/>).</summary>
    Export = 4,
}
