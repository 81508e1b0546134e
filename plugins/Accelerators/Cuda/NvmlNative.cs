using System.Runtime.InteropServices;

namespace Conduit.Accelerators.Cuda;

/// <summary>The NVML return codes this plugin names; every other value is reported by number and NVML's own text.</summary>
internal enum NvmlReturn
{
    Success = 0,
    Uninitialized = 1,
    InvalidArgument = 2,
    NotSupported = 3,
    NoPermission = 4,
    DriverNotLoaded = 9,
    LibraryNotFound = 12,
    GpuIsLost = 15,
    LibRmVersionMismatch = 18,
}

/// <summary><c>nvmlMemory_t</c>: a device's frame-buffer memory, in bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}

/// <summary>
/// The NVML functions this plugin calls (source-generated P/Invoke). The library name is a logical one that
/// <see cref="Nvml"/> resolves to the library the plugin is configured with.
/// </summary>
internal static unsafe partial class NvmlNative
{
    /// <summary>The logical library name; never a file on disk, so nothing but the resolver can satisfy it.</summary>
    public const string LibraryName = "conduit-nvml";

    /// <summary>The entry points without which NVML is of no use here.</summary>
    public static readonly string[] RequiredExports =
    [
        "nvmlInit_v2", "nvmlShutdown", "nvmlErrorString", "nvmlSystemGetDriverVersion", "nvmlDeviceGetCount_v2",
        "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetName", "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetCudaComputeCapability",
    ];

    /// <summary>NVML_DEVICE_NAME_V2_BUFFER_SIZE.</summary>
    public const int DeviceNameBufferSize = 96;

    /// <summary>NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE.</summary>
    public const int DriverVersionBufferSize = 80;

    [LibraryImport(LibraryName, EntryPoint = "nvmlInit_v2")]
    public static partial NvmlReturn Init();

    [LibraryImport(LibraryName, EntryPoint = "nvmlShutdown")]
    public static partial NvmlReturn Shutdown();

    [LibraryImport(LibraryName, EntryPoint = "nvmlErrorString")]
    public static partial byte* ErrorString(NvmlReturn result);

    [LibraryImport(LibraryName, EntryPoint = "nvmlSystemGetDriverVersion")]
    public static partial NvmlReturn SystemGetDriverVersion(byte* version, uint length);

    [LibraryImport(LibraryName, EntryPoint = "nvmlSystemGetCudaDriverVersion_v2")]
    public static partial NvmlReturn SystemGetCudaDriverVersionV2(int* cudaDriverVersion);

    [LibraryImport(LibraryName, EntryPoint = "nvmlSystemGetCudaDriverVersion")]
    public static partial NvmlReturn SystemGetCudaDriverVersion(int* cudaDriverVersion);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetCount_v2")]
    public static partial NvmlReturn DeviceGetCount(uint* deviceCount);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    public static partial NvmlReturn DeviceGetHandleByIndex(uint index, nint* device);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetName")]
    public static partial NvmlReturn DeviceGetName(nint device, byte* name, uint length);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetMemoryInfo")]
    public static partial NvmlReturn DeviceGetMemoryInfo(nint device, NvmlMemory* memory);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetCudaComputeCapability")]
    public static partial NvmlReturn DeviceGetCudaComputeCapability(nint device, int* major, int* minor);
}
