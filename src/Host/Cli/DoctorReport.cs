using System.Runtime.InteropServices;
using Conduit.Accelerators;
using Conduit.Host.Plugins;
using Conduit.Plugins;

namespace Conduit.Host.Cli;

/// <summary>What <c>conduit doctor</c> found.</summary>
public sealed record DoctorReport(
    string Os,
    string Runtime,
    string RuntimeIdentifier,
    string Architecture,
    int Cores,
    long MemoryBytes,
    string HostVersion,
    string ContractVersion,
    IReadOnlyList<AcceleratorReport> Accelerators,
    IReadOnlyList<PluginSummaryReport> Plugins,
    IReadOnlyList<string> Problems)
{
    /// <summary>Examines the machine and <paramref name="host"/>.</summary>
    public static DoctorReport From(ConduitHost host)
    {
        var problems = new List<string>();
        var accelerators = new List<AcceleratorReport>();
        foreach (IAccelerator accelerator in host.Plugins.ResolveAll<IAccelerator>(host.Services).OrderByDescending(a => a.Priority))
        {
            try
            {
                accelerators.Add(accelerator.Probe());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Probe must not throw; one that does is reported, not fatal.
                accelerators.Add(AcceleratorReport.Unavailable(accelerator.Name, $"probe threw {e.GetType().Name}: {e.Message}"));
            }
        }
        if (!accelerators.Any(a => a.IsAvailable))
        {
            problems.Add("no accelerator is available: is the cpu plugin in the plugin folder?");
        }
        var plugins = host.Plugins.Records.Select(PluginSummaryReport.From).ToList();
        problems.AddRange(plugins
            .Where(p => p.Status is PluginStatus.Malfunctioned or PluginStatus.Incompatible or PluginStatus.Refused)
            .Select(p => $"plugin {p.Id} is {p.Status}: {p.Reason}"));

        return new DoctorReport(
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.RuntimeIdentifier,
            RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            Environment.ProcessorCount,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            HostInfo.InformationalVersion,
            ConduitContract.InformationalVersion,
            accelerators,
            plugins,
            problems);
    }
}
