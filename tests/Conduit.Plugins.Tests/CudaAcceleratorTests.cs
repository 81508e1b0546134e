using System.Runtime.InteropServices;
using Conduit.Accelerators;
using Conduit.Accelerators.Cuda;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Plugins.Tests;

public sealed class CudaAcceleratorTests
{
    [Fact]
    public void Accelerator_is_named_cuda_and_preferred_over_the_cpu()
    {
        var cuda = new CudaAccelerator();

        Assert.Equal("cuda", cuda.Name);
        Assert.Equal(100, cuda.Priority);
        Assert.Equal(CudaAccelerator.DefaultLibrary, cuda.Library);
    }

    [Fact]
    public void Probe_with_the_default_library_reports_the_gpus_or_why_there_are_none()
    {
        bool driverInstalled = NativeLibrary.TryLoad(CudaAccelerator.DefaultLibrary, out nint handle);
        if (driverInstalled)
        {
            NativeLibrary.Free(handle);
        }

        AcceleratorReport report = new CudaAccelerator().Probe();

        Assert.Equal("cuda", report.Name);
        if (!driverInstalled)
        {
            Assert.False(report.IsAvailable);
            Assert.Empty(report.Devices);
            Assert.Contains(CudaAccelerator.DefaultLibrary, report.Reason);
            Assert.Contains("install the NVIDIA driver", report.Reason);
        }
        else if (report.IsAvailable)
        {
            Assert.NotEmpty(report.Devices);
            Assert.All(report.Devices, d => Assert.True(d.TotalMemoryBytes > 0));
            Assert.All(report.Devices, d => Assert.Matches(@"^\d+\.\d+$", d.Properties["compute_capability"]));
            Assert.Equal(report.Devices.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), report.Properties["device_count"]);
        }
        else
        {
            // The driver's library is installed but there is no GPU or no kernel driver (a container, a CI runner).
            Assert.Contains("NVML", report.Reason);
        }
    }

    [Fact]
    public void Probe_with_a_library_that_does_not_exist_is_unavailable_and_names_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), "conduit-no-such-dir", "libnvidia-ml.so.1");

        AcceleratorReport report = new CudaAccelerator(missing).Probe();

        Assert.False(report.IsAvailable);
        Assert.Empty(report.Devices);
        Assert.Contains(missing, report.Reason);
    }

    [Fact]
    public void Probe_with_a_real_library_that_is_not_nvml_names_the_missing_entry_point()
    {
        string? other = FindNonNvmlLibrary();
        Assert.NotNull(other);

        AcceleratorReport report = new CudaAccelerator(other).Probe();

        Assert.False(report.IsAvailable);
        Assert.Contains(other, report.Reason);
        Assert.Contains("not an NVML library", report.Reason);
        Assert.Contains("nvmlInit_v2", report.Reason);
    }

    [Fact]
    public void Probes_of_different_libraries_in_one_process_each_report_their_own_failure()
    {
        string other = FindNonNvmlLibrary()!;
        string missing = Path.Combine(Path.GetTempPath(), "conduit-no-such-dir", "nvml-missing.so");

        string? first = new CudaAccelerator(other).Probe().Reason;
        string? second = new CudaAccelerator(missing).Probe().Reason;
        string? third = new CudaAccelerator(other).Probe().Reason;

        Assert.Contains("not an NVML library", first);
        Assert.Contains(missing, second);
        Assert.Equal(first, third);
    }

    [Fact]
    public void Probe_never_throws_whatever_the_library_setting()
    {
        using var dir = new TempDirectory();
        string notALibrary = dir.Write("libnvidia-ml.so.1", "this is text, not an ELF or PE file");
        string[] settings = ["", "   ", dir.Path, notALibrary, "no-such-library-anywhere", "bad\0name", new string('x', 5000)];

        foreach (string library in settings)
        {
            AcceleratorReport? report = null;
            Exception? thrown = Record.Exception(() => report = new CudaAccelerator(library).Probe());

            Assert.Null(thrown);
            Assert.NotNull(report);
            if (!string.IsNullOrWhiteSpace(library))
            {
                Assert.False(report.IsAvailable, $"library '{library}'");
                Assert.False(string.IsNullOrWhiteSpace(report.Reason), $"library '{library}'");
            }
        }
    }

    [Fact]
    public void Probe_is_probed_once_and_cached()
    {
        var cuda = new CudaAccelerator(FindNonNvmlLibrary());

        Assert.Same(cuda.Probe(), cuda.Probe());
    }

    [Fact]
    public void Plugin_passes_the_configured_library_to_the_accelerator()
    {
        string missing = Path.Combine(Path.GetTempPath(), "conduit-no-such-dir", "libcustom-nvml.so");
        var services = new ServiceCollection();
        new CudaPlugin().ConfigureServices(services, PluginTestContext.For("cuda", "accelerator", new Dictionary<string, string?>
        {
            ["library"] = missing,
        }));
        using ServiceProvider provider = services.BuildServiceProvider();

        var cuda = Assert.IsType<CudaAccelerator>(Assert.Single(provider.GetServices<IAccelerator>()));

        Assert.Equal(missing, cuda.Library);
        Assert.Contains(missing, cuda.Probe().Reason);
    }

    [Fact]
    public void Plugin_without_configuration_uses_the_default_library()
    {
        var services = new ServiceCollection();
        new CudaPlugin().ConfigureServices(services, PluginTestContext.For("cuda", "accelerator"));
        using ServiceProvider provider = services.BuildServiceProvider();

        var cuda = Assert.IsType<CudaAccelerator>(Assert.Single(provider.GetServices<IAccelerator>()));

        Assert.Equal(CudaAccelerator.DefaultLibrary, cuda.Library);
    }

    /// <summary>A native library every machine of the platform has, that is certainly not NVML.</summary>
    private static string? FindNonNvmlLibrary()
    {
        string[] candidates = OperatingSystem.IsWindows() ? ["kernel32.dll"]
            : OperatingSystem.IsMacOS() ? ["libz.dylib", "/usr/lib/libSystem.B.dylib"]
            : ["libz.so.1", "libc.so.6", "libm.so.6"];
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle))
            {
                NativeLibrary.Free(handle);
                return candidate;
            }
        }
        return null;
    }
}
