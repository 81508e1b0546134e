using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Conduit.Accelerators.Cuda;

/// <summary>
/// Probes NVIDIA GPUs through NVML: loads the configured library, checks that it is NVML, initialises it, reads the
/// driver, the CUDA version and every device, and shuts it down. Every failure becomes an unavailable report.
/// </summary>
/// <remarks>
/// The P/Invokes in <see cref="NvmlNative"/> name a logical library that a resolver maps to the library loaded here.
/// The runtime binds each P/Invoke once, on its first successful call, so the first NVML library that is called
/// stays the one used for the life of the process; probing another one afterwards is reported, not attempted.
/// </remarks>
internal static unsafe class Nvml
{
    private static readonly Lock Gate = new();
    private static volatile bool s_resolverSet;
    private static nint s_current;
    private static nint s_bound;
    private static string? s_boundLibrary;

    /// <summary>Probes the GPUs through <paramref name="library"/>; never throws for missing drivers or hardware.</summary>
    /// <param name="library">The NVML library: a file name the loader searches for, or a path.</param>
    /// <param name="isDefault">Whether <paramref name="library"/> is the default (not configured by the user).</param>
    public static AcceleratorReport Probe(string library, bool isDefault)
    {
        lock (Gate)
        {
            try
            {
                return ProbeLocked(library, isDefault);
            }
            catch (DllNotFoundException e)
            {
                return Unavailable($"the NVML library {library} could not be loaded ({FirstSentence(e.Message)})");
            }
            catch (EntryPointNotFoundException e)
            {
                return Unavailable($"{library} is not a usable NVML library ({FirstSentence(e.Message)}); install the NVIDIA driver to use CUDA");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Unavailable($"probing NVML through {library} failed with {e.GetType().Name}: {FirstSentence(e.Message)}");
            }
        }
    }

    private static AcceleratorReport ProbeLocked(string library, bool isDefault)
    {
        EnsureResolver();
        if (!NativeLibrary.TryLoad(library, out nint handle))
        {
            return Unavailable(isDefault
                ? $"NVIDIA driver library {library} was not found; install the NVIDIA driver to use CUDA"
                : $"the NVML library {library} (set by plugins:cuda:library) was not found or could not be loaded; fix the path or remove the setting");
        }

        string[] missing = Array.FindAll(NvmlNative.RequiredExports, name => !NativeLibrary.TryGetExport(handle, name, out _));
        if (missing.Length > 0)
        {
            ReleaseUnbound(handle);
            string names = missing.Length <= 3 ? string.Join(", ", missing) : $"{string.Join(", ", missing[..3])} and {missing.Length - 3} more";
            return Unavailable($"{library} loaded but is not an NVML library (missing entry points {names}); install the NVIDIA driver to use CUDA");
        }

        if (s_bound != 0 && s_bound != handle)
        {
            ReleaseUnbound(handle);
            return Unavailable($"NVML is already bound to {s_boundLibrary} in this process, so {library} cannot be used until the host restarts");
        }

        Volatile.Write(ref s_current, handle);
        NvmlReturn init = NvmlNative.Init();
        s_bound = handle; // the P/Invokes are bound to this library now
        s_boundLibrary = library;
        if (init != NvmlReturn.Success)
        {
            return Unavailable($"NVML in {library} could not start: {Describe(init)}; is an NVIDIA GPU present and its kernel driver loaded?");
        }

        try
        {
            return Query(library, handle);
        }
        finally
        {
            _ = NvmlNative.Shutdown();
        }
    }

    private static AcceleratorReport Query(string library, nint handle)
    {
        string? driver = ReadString((buffer, size) => NvmlNative.SystemGetDriverVersion(buffer, size), NvmlNative.DriverVersionBufferSize);
        string? cuda = CudaVersion(handle);

        uint count;
        NvmlReturn ret = NvmlNative.DeviceGetCount(&count);
        if (ret != NvmlReturn.Success)
        {
            return Unavailable($"NVML could not count the GPUs: {Describe(ret)}");
        }
        if (count == 0)
        {
            return Unavailable($"NVML found no NVIDIA GPU (driver {driver ?? "unknown"})");
        }

        var devices = new List<AcceleratorDevice>((int)count);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["driver_version"] = driver ?? "unknown",
            ["cuda_version"] = cuda ?? "unknown",
            ["device_count"] = count.ToString(CultureInfo.InvariantCulture),
            ["library"] = library,
        };
        string? firstError = null;
        for (uint i = 0; i < count; i++)
        {
            nint device;
            ret = NvmlNative.DeviceGetHandleByIndex(i, &device);
            if (ret != NvmlReturn.Success)
            {
                string error = Describe(ret);
                firstError ??= $"device {i}: {error}";
                properties[$"device{i}_error"] = error;
                continue;
            }
            devices.Add(QueryDevice((int)i, device));
        }
        if (devices.Count == 0)
        {
            return Unavailable($"NVML found {count} GPU(s) but could not open any ({firstError})");
        }
        return new AcceleratorReport("cuda", true, null, devices) { Properties = properties };
    }

    private static AcceleratorDevice QueryDevice(int index, nint device)
    {
        string name = ReadString((buffer, size) => NvmlNative.DeviceGetName(device, buffer, size), NvmlNative.DeviceNameBufferSize)
            ?? $"NVIDIA GPU {index}";
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);

        long? total = null, free = null;
        NvmlMemory memory;
        NvmlReturn ret = NvmlNative.DeviceGetMemoryInfo(device, &memory);
        if (ret == NvmlReturn.Success)
        {
            total = checked((long)memory.Total);
            free = checked((long)memory.Free);
            properties["memory_used"] = memory.Used.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            properties["memory_error"] = Describe(ret);
        }

        int major, minor;
        ret = NvmlNative.DeviceGetCudaComputeCapability(device, &major, &minor);
        properties["compute_capability"] = ret == NvmlReturn.Success
            ? string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}")
            : "unknown";

        return new AcceleratorDevice(index, name, total, free) { Properties = properties };
    }

    // The version the driver supports, as NVML encodes it (1000 * major + 10 * minor), as "12.4".
    private static string? CudaVersion(nint handle)
    {
        int version;
        NvmlReturn ret;
        if (NativeLibrary.TryGetExport(handle, "nvmlSystemGetCudaDriverVersion_v2", out _))
        {
            ret = NvmlNative.SystemGetCudaDriverVersionV2(&version);
        }
        else if (NativeLibrary.TryGetExport(handle, "nvmlSystemGetCudaDriverVersion", out _))
        {
            ret = NvmlNative.SystemGetCudaDriverVersion(&version);
        }
        else
        {
            return null;
        }
        return ret == NvmlReturn.Success && version > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{version / 1000}.{version % 1000 / 10}")
            : null;
    }

    private delegate NvmlReturn StringQuery(byte* buffer, uint size);

    private static string? ReadString(StringQuery query, int size)
    {
        byte* buffer = stackalloc byte[size];
        new Span<byte>(buffer, size).Clear();
        if (query(buffer, (uint)size) != NvmlReturn.Success)
        {
            return null;
        }
        var bytes = new ReadOnlySpan<byte>(buffer, size);
        int end = bytes.IndexOf((byte)0);
        string text = Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]).Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>NVML's text for <paramref name="ret"/> and its number: <c>Driver Not Loaded (NVML error 9)</c>.</summary>
    private static string Describe(NvmlReturn ret)
    {
        string? text = null;
        try
        {
            text = Marshal.PtrToStringUTF8((nint)NvmlNative.ErrorString(ret));
        }
        catch (EntryPointNotFoundException)
        {
            // Checked before, but the text is a courtesy: the number is enough.
        }
        int code = (int)ret;
        return string.IsNullOrWhiteSpace(text)
            ? string.Create(CultureInfo.InvariantCulture, $"NVML error {code}")
            : string.Create(CultureInfo.InvariantCulture, $"{text.Trim()} (NVML error {code})");
    }

    private static void EnsureResolver()
    {
        if (s_resolverSet)
        {
            return;
        }
        NativeLibrary.SetDllImportResolver(typeof(Nvml).Assembly, Resolve);
        s_resolverSet = true;
    }

    // Only the logical NVML name is ours; zero lets the runtime go on with its own search.
    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        => libraryName == NvmlNative.LibraryName ? Volatile.Read(ref s_current) : 0;

    private static void ReleaseUnbound(nint handle)
    {
        if (handle != s_bound)
        {
            NativeLibrary.Free(handle);
        }
    }

    private static AcceleratorReport Unavailable(string reason) => AcceleratorReport.Unavailable("cuda", reason);

    private static string FirstSentence(string message)
    {
        string line = message.Split('\n', 2)[0].Trim();
        return line.TrimEnd('.');
    }
}
