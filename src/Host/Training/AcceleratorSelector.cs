using Conduit.Accelerators;

namespace Conduit.Host.Training;

/// <summary>Turns a job's <c>trainer.accelerator</c> and <c>trainer.devices</c> into a device, before any work.</summary>
public static class AcceleratorSelector
{
    /// <summary>The device to run on (<c>cpu</c>, <c>cuda:0</c>).</summary>
    /// <exception cref="ArgumentException">The accelerator asked for is not available; the message lists what is.</exception>
    public static string Select(string requested, string devices, IReadOnlyList<IAccelerator> accelerators)
    {
        ArgumentNullException.ThrowIfNull(accelerators);
        var reports = accelerators.Select(SafeProbe).ToList();
        string available = string.Join(", ", reports.Where(r => r.Report.IsAvailable).Select(r => r.Report.Name).DefaultIfEmpty("none"));
        (IAccelerator Accelerator, AcceleratorReport Report) chosen;
        if (requested == "auto")
        {
            chosen = reports.Where(r => r.Report.IsAvailable).OrderByDescending(r => r.Accelerator.Priority).FirstOrDefault();
            if (chosen.Accelerator is null)
            {
                throw new ArgumentException($"trainer.accelerator: 'auto' found no available accelerator; is the cpu plugin installed? (plugins: {string.Join(", ", reports.Select(r => r.Report.Name))})");
            }
        }
        else
        {
            chosen = reports.FirstOrDefault(r => r.Report.Name == requested);
            if (chosen.Accelerator is null)
            {
                throw new ArgumentException($"trainer.accelerator: '{requested}' has no plugin here; available: {available}");
            }
            if (!chosen.Report.IsAvailable)
            {
                throw new ArgumentException($"trainer.accelerator: '{requested}' is not available: {chosen.Report.Reason}; available: {available}");
            }
        }
        if (chosen.Report.Name == "cpu")
        {
            return "cpu";
        }
        int index = DeviceIndex(devices, chosen.Report);
        return $"{chosen.Report.Name}:{index}";
    }

    // Lightning's devices: "auto", a count ("1"), or indices ("0" in a list such as "0,1"). One device per run for now.
    private static int DeviceIndex(string devices, AcceleratorReport report)
    {
        if (devices == "auto")
        {
            return 0;
        }
        bool isList = devices.Contains(',', StringComparison.Ordinal);
        int[] numbers = [.. devices.Split(',').Select(d => int.Parse(d.Trim(), System.Globalization.CultureInfo.InvariantCulture))];
        if ((isList && numbers.Length > 1) || (!isList && numbers[0] > 1))
        {
            throw new ArgumentException($"trainer.devices: '{devices}' asks for several devices; one device per run is supported, e.g. devices=1");
        }
        int index = isList ? numbers[0] : 0;
        if (index >= report.Devices.Count)
        {
            throw new ArgumentException($"trainer.devices: device {index} does not exist; {report.Name} has {report.Devices.Count}");
        }
        return index;
    }

    private static (IAccelerator Accelerator, AcceleratorReport Report) SafeProbe(IAccelerator accelerator)
    {
        try
        {
            return (accelerator, accelerator.Probe());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (accelerator, AcceleratorReport.Unavailable(accelerator.Name, $"probe threw {e.GetType().Name}: {e.Message}"));
        }
    }
}
