using System.Globalization;

namespace Conduit.Accelerators.Cpu;

/// <summary>Reads the facts the CPU accelerator needs out of Linux's <c>/proc/cpuinfo</c> and <c>/proc/meminfo</c>.</summary>
internal static class ProcParsers
{
    /// <summary>The first <c>model name</c> in <c>/proc/cpuinfo</c>, or <see langword="null"/> when there is none.</summary>
    public static string? ParseModelName(string cpuinfo)
    {
        foreach (ReadOnlySpan<char> line in cpuinfo.AsSpan().EnumerateLines())
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("model name", StringComparison.Ordinal))
            {
                ReadOnlySpan<char> value = line[(colon + 1)..].Trim();
                if (!value.IsEmpty)
                {
                    return value.ToString();
                }
            }
        }
        return null;
    }

    /// <summary><c>MemTotal</c> and <c>MemAvailable</c> of <c>/proc/meminfo</c>, in bytes (each <see langword="null"/> when absent).</summary>
    public static (long? Total, long? Available) ParseMemInfo(string meminfo)
    {
        long? total = null, available = null;
        foreach (ReadOnlySpan<char> line in meminfo.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                total = ParseKiloBytes(line["MemTotal:".Length..]);
            }
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = ParseKiloBytes(line["MemAvailable:".Length..]);
            }
        }
        return (total, available);
    }

    // Values look like "   24683620 kB"; the kernel's "kB" means KiB.
    private static long? ParseKiloBytes(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        long multiplier = 1;
        if (value.EndsWith("kB", StringComparison.Ordinal))
        {
            value = value[..^2].TrimEnd();
            multiplier = 1024;
        }
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n * multiplier : null;
    }
}
