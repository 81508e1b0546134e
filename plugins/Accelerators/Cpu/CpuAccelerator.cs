using System.Globalization;
using System.Runtime.InteropServices;

namespace Conduit.Accelerators.Cpu;

/// <summary>
/// The CPU as an accelerator: always available, with one device whose name, memory, cores and SIMD instruction
/// sets are read from the operating system and the runtime.
/// </summary>
/// <remarks>The lowest priority (0): a job asking for <c>auto</c> gets the CPU only when nothing faster is there.</remarks>
public sealed class CpuAccelerator : IAccelerator
{
    /// <summary>The name a job uses to ask for the CPU.</summary>
    public const string AcceleratorName = "cpu";

    private readonly Lazy<AcceleratorReport> _report;
    private readonly string _procRoot;

    /// <summary>Creates the accelerator; nothing is probed until <see cref="Probe"/> is called.</summary>
    public CpuAccelerator()
        : this("/proc")
    {
    }

    /// <summary>Creates the accelerator reading Linux facts from <paramref name="procRoot"/> instead of <c>/proc</c> (for tests).</summary>
    internal CpuAccelerator(string procRoot)
    {
        _procRoot = procRoot;
        _report = new Lazy<AcceleratorReport>(ProbeCore, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <inheritdoc/>
    public string Name => AcceleratorName;

    /// <inheritdoc/>
    public int Priority => 0;

    /// <inheritdoc/>
    public AcceleratorReport Probe() => _report.Value;

    private AcceleratorReport ProbeCore()
    {
        string architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string? model = ReadProcFile("cpuinfo") is string cpuinfo ? ProcParsers.ParseModelName(cpuinfo) : null;
        (long? total, long? free) = ReadMemory();

        string cores = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        string simd = string.Join(' ', SimdSupport.InstructionSets());
        string vectors = string.Join(' ', SimdSupport.AcceleratedVectorWidths());

        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cores"] = cores,
            ["architecture"] = architecture,
            ["os"] = RuntimeInformation.OSDescription,
            ["simd"] = simd.Length == 0 ? "none" : simd,
            ["vector_bits"] = vectors.Length == 0 ? "none" : vectors,
        };

        var device = new AcceleratorDevice(0, model ?? RuntimeInformation.ProcessArchitecture.ToString(), total, free)
        {
            Properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["cores"] = cores, ["simd"] = properties["simd"] },
        };
        return new AcceleratorReport(AcceleratorName, true, null, [device]) { Properties = properties };
    }

    private (long? Total, long? Free) ReadMemory()
    {
        if (ReadProcFile("meminfo") is string meminfo)
        {
            (long? total, long? available) = ProcParsers.ParseMemInfo(meminfo);
            if (total is > 0)
            {
                return (total, available);
            }
        }
        // Not Linux (or /proc is hidden): the GC knows the memory it may use (container limits included).
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        long limit = info.TotalAvailableMemoryBytes;
        return limit > 0 ? (limit, Math.Max(0, limit - info.MemoryLoadBytes)) : (null, null);
    }

    private string? ReadProcFile(string name)
    {
        if (!OperatingSystem.IsLinux() && _procRoot == "/proc")
        {
            return null;
        }
        try
        {
            string path = Path.Combine(_procRoot, name);
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
