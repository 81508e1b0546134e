namespace Conduit.Host.Jobs;

/// <summary>
/// What a job may take of the machine. A framework that can estimate its model's memory (weights, gradients,
/// optimizer state, a batch's activations) refuses a bigger model before it allocates anything, so that a job asking
/// for a 25 GB layer fails at once, with the estimate, instead of when libtorch runs out of memory.
/// </summary>
/// <param name="MaxMemoryBytes">The most memory one job may need; 0 for no limit.</param>
public sealed record JobLimits(long MaxMemoryBytes)
{
    /// <summary>The default: 80% of the memory this process may use (the machine's, or its container's limit).</summary>
    public static JobLimits Default { get; } = new((long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.8));
}
