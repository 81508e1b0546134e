using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Conduit.Accelerators;
using Conduit.Accelerators.Cpu;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Plugins.Tests;

public sealed class CpuAcceleratorTests
{
    [Fact]
    public void Probe_reports_an_available_cpu_with_cores_memory_and_platform()
    {
        var cpu = new CpuAccelerator();

        AcceleratorReport report = cpu.Probe();

        Assert.Equal("cpu", cpu.Name);
        Assert.Equal(0, cpu.Priority);
        Assert.Equal("cpu", report.Name);
        Assert.True(report.IsAvailable);
        Assert.Null(report.Reason);
        AcceleratorDevice device = Assert.Single(report.Devices);
        Assert.Equal(0, device.Index);
        Assert.False(string.IsNullOrWhiteSpace(device.Name));
        Assert.True(device.TotalMemoryBytes > 0, $"total memory {device.TotalMemoryBytes}");
        Assert.InRange(device.FreeMemoryBytes!.Value, 0, device.TotalMemoryBytes!.Value);
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), report.Properties["cores"]);
        Assert.Equal(RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), report.Properties["architecture"]);
        Assert.Equal(RuntimeInformation.OSDescription, report.Properties["os"]);
    }

    [Fact]
    public void Probe_lists_the_simd_instruction_sets_the_runtime_reports()
    {
        AcceleratorReport report = new CpuAccelerator().Probe();
        string[] simd = report.Properties["simd"].Split(' ');

        Assert.Equal(Avx2.IsSupported, simd.Contains("avx2"));
        Assert.Equal(Fma.IsSupported, simd.Contains("fma"));
        Assert.Equal(Avx512F.IsSupported, simd.Contains("avx512f"));
        Assert.Equal(Avx512BW.IsSupported, simd.Contains("avx512bw"));
        Assert.Equal(Sse42.IsSupported, simd.Contains("sse4.2"));
        Assert.Equal(AdvSimd.IsSupported, simd.Contains("neon"));
        Assert.Equal(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, report.Properties["vector_bits"].Split(' ').Contains("256"));
    }

    [Fact]
    public void Probe_is_probed_once_and_cached()
    {
        var cpu = new CpuAccelerator();

        Assert.Same(cpu.Probe(), cpu.Probe());
    }

    [Fact]
    public void Probe_names_the_device_after_the_model_in_proc_cpuinfo()
    {
        using var proc = new TempDirectory();
        proc.Write("cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Test CPU @ 3.00GHz\n\nprocessor\t: 1\nmodel name\t: Test CPU @ 3.00GHz\n");
        proc.Write("meminfo", "MemTotal:       16384 kB\nMemFree:         1024 kB\nMemAvailable:    8192 kB\n");

        AcceleratorDevice device = Assert.Single(new CpuAccelerator(proc.Path).Probe().Devices);

        Assert.Equal("Test CPU @ 3.00GHz", device.Name);
        Assert.Equal(16384L * 1024, device.TotalMemoryBytes);
        Assert.Equal(8192L * 1024, device.FreeMemoryBytes);
    }

    [Fact]
    public void Probe_falls_back_to_the_architecture_and_the_gc_when_proc_says_nothing()
    {
        using var proc = new TempDirectory();
        proc.Write("cpuinfo", "processor\t: 0\nCPU part\t: 0xd0c\n");

        AcceleratorDevice device = Assert.Single(new CpuAccelerator(proc.Path).Probe().Devices);

        Assert.Equal(RuntimeInformation.ProcessArchitecture.ToString(), device.Name);
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, device.TotalMemoryBytes);
    }

    [Fact]
    public void Probe_on_linux_uses_the_real_model_name()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo"))
        {
            return;
        }
        string? model = File.ReadLines("/proc/cpuinfo")
            .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();

        AcceleratorDevice device = Assert.Single(new CpuAccelerator().Probe().Devices);

        Assert.Equal(model ?? RuntimeInformation.ProcessArchitecture.ToString(), device.Name);
    }

    [Theory]
    [InlineData("MemTotal:       24683620 kB\nMemAvailable:   24283632 kB\n", 24683620L * 1024, 24283632L * 1024)]
    [InlineData("MemFree: 10 kB\n", null, null)]
    [InlineData("MemTotal: garbage kB\nMemAvailable: 5 kB", null, 5L * 1024)]
    public void ParseMemInfo_reads_total_and_available_in_bytes(string text, long? total, long? available)
    {
        Assert.Equal((total, available), ProcParsers.ParseMemInfo(text));
    }

    [Fact]
    public void Plugin_registers_the_cpu_as_an_accelerator()
    {
        var services = new ServiceCollection();
        new CpuPlugin().ConfigureServices(services, PluginTestContext.For("cpu", "accelerator"));
        using ServiceProvider provider = services.BuildServiceProvider();

        IAccelerator accelerator = Assert.Single(provider.GetServices<IAccelerator>());

        Assert.IsType<CpuAccelerator>(accelerator);
        Assert.True(accelerator.Probe().IsAvailable);
    }
}
