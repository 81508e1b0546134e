namespace Conduit.Accelerators;

/// <summary>A kind of hardware a job can run on: what is there, and whether it can be used.</summary>
/// <remarks>
/// Implementations probe lazily and never throw for missing hardware or drivers: they report
/// <see cref="AcceleratorReport.IsAvailable"/> = <see langword="false"/> with the reason.
/// </remarks>
public interface IAccelerator
{
    /// <summary>The name a job uses to ask for it: <c>cpu</c>, <c>cuda</c>, ...</summary>
    string Name { get; }

    /// <summary>Preference when a job asks for <c>auto</c>: the available accelerator with the highest value wins.</summary>
    int Priority { get; }

    /// <summary>Probes the hardware (cached after the first call).</summary>
    AcceleratorReport Probe();
}
