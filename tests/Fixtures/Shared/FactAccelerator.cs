using Conduit.Accelerators;

namespace Conduit.Fixtures;

/// <summary>An accelerator that reports facts about the plugin it lives in, so tests can see inside the load context.</summary>
public sealed class FactAccelerator(string name, Func<IReadOnlyDictionary<string, string>> facts) : IAccelerator
{
    public string Name => name;

    public int Priority => -1;

    public AcceleratorReport Probe()
    {
        var properties = new Dictionary<string, string>(facts())
        {
            ["assemblyLocation"] = typeof(FactAccelerator).Assembly.Location,
            ["loadContext"] = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(FactAccelerator).Assembly)?.Name ?? "",
        };
        return new AcceleratorReport(name, true, null, [new AcceleratorDevice(0, name, null, null)]) { Properties = properties };
    }
}
