namespace Conduit.Accelerators.Cuda;

/// <summary>
/// NVIDIA GPUs, found through the driver's NVML library: devices, memory, compute capability, driver and CUDA
/// versions. Unavailable, with the reason, when the driver, its library or a GPU is missing.
/// </summary>
/// <remarks>Priority 100: a job asking for <c>auto</c> runs on CUDA whenever a GPU is available.</remarks>
public sealed class CudaAccelerator : IAccelerator
{
    /// <summary>The name a job uses to ask for CUDA.</summary>
    public const string AcceleratorName = "cuda";

    private readonly Lazy<AcceleratorReport> _report;
    private readonly bool _isDefaultLibrary;

    /// <summary>Creates the accelerator with the platform's NVML library (<see cref="DefaultLibrary"/>).</summary>
    public CudaAccelerator()
        : this(null)
    {
    }

    /// <summary>Creates the accelerator with another NVML library; nothing is loaded until <see cref="Probe"/> is called.</summary>
    /// <param name="library">A library file name or path; <see langword="null"/> or blank for <see cref="DefaultLibrary"/>.</param>
    public CudaAccelerator(string? library)
    {
        _isDefaultLibrary = string.IsNullOrWhiteSpace(library);
        Library = _isDefaultLibrary ? DefaultLibrary : library!.Trim();
        _report = new Lazy<AcceleratorReport>(ProbeCore, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The NVML library the NVIDIA driver installs on this platform: <c>libnvidia-ml.so.1</c> on Linux, <c>nvml.dll</c> on Windows.</summary>
    public static string DefaultLibrary => OperatingSystem.IsWindows() ? "nvml.dll" : "libnvidia-ml.so.1";

    /// <summary>The NVML library this accelerator loads.</summary>
    public string Library { get; }

    /// <inheritdoc/>
    public string Name => AcceleratorName;

    /// <inheritdoc/>
    public int Priority => 100;

    /// <inheritdoc/>
    public AcceleratorReport Probe() => _report.Value;

    private AcceleratorReport ProbeCore()
    {
        try
        {
            return Nvml.Probe(Library, _isDefaultLibrary);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nvml.Probe reports its own failures; this is the last guard of the never-throw promise.
            return AcceleratorReport.Unavailable(AcceleratorName, $"probing NVML failed with {e.GetType().Name}: {e.Message}");
        }
    }
}
