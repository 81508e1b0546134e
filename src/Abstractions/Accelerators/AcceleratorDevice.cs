namespace Conduit.Accelerators;

/// <summary>One device of an accelerator.</summary>
/// <param name="Index">The device's index, as a job's <c>devices</c> setting names it.</param>
/// <param name="Name">The device's product name.</param>
/// <param name="TotalMemoryBytes">The device's memory in bytes, when known.</param>
/// <param name="FreeMemoryBytes">The memory free now in bytes, when known.</param>
public sealed record AcceleratorDevice(int Index, string Name, long? TotalMemoryBytes, long? FreeMemoryBytes)
{
    /// <summary>Further facts (compute capability, cores, ...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
