namespace Conduit.Accelerators;

/// <summary>What an accelerator found.</summary>
/// <param name="Name">The accelerator's name (<c>cpu</c>, <c>cuda</c>).</param>
/// <param name="IsAvailable">Whether a job can run on it now.</param>
/// <param name="Reason">Why it is not available, in one sentence; <see langword="null"/> when it is.</param>
/// <param name="Devices">The devices found (empty when none).</param>
public sealed record AcceleratorReport(string Name, bool IsAvailable, string? Reason, IReadOnlyList<AcceleratorDevice> Devices)
{
    /// <summary>Facts about the platform or driver (driver version, SIMD support, ...), for <c>conduit doctor</c>.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>A report of an accelerator that cannot be used, and why.</summary>
    public static AcceleratorReport Unavailable(string name, string reason) => new(name, false, reason, []);
}
