using System.Runtime.InteropServices;

namespace Conduit.Tracking.Store;

/// <summary>
/// The file (device and inode) a store's path named when the store opened it, so that the store can tell that its
/// file was removed or replaced while open: SQLite goes on writing into an unlinked file without an error, and
/// every record written after that is lost with it.
/// </summary>
public sealed partial class StoreFileIdentity
{
    private readonly (ulong Device, ulong Inode)? _opened;

    private StoreFileIdentity(string path, (ulong, ulong)? opened)
    {
        Path = path;
        _opened = opened;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>The file <paramref name="path"/> names now (call it right after opening it).</summary>
    public static StoreFileIdentity Of(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        return new StoreFileIdentity(full, Stat(full));
    }

    /// <summary>Null while the path still names the opened file; else what happened to it, naming it.</summary>
    public string? Problem() =>
        !File.Exists(Path) ? $"experiment store {Path} was removed"
        : _opened is { } opened && Stat(Path) is { } now && now != opened ? $"experiment store {Path} was removed (another file is in its place now)"
        : null;

    // stat(2) where its layout is known (device, then inode, at the start; both 64-bit on Linux x64 and arm64);
    // elsewhere null, and only a missing file is noticed. An open file's inode is not reused while it is open.
    private static (ulong, ulong)? Stat(string path)
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return null;
        }
        try
        {
            byte[] buffer = new byte[256];
            return NativeStat(path, buffer) == 0 ? (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8)) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a C library without a stat symbol (glibc before 2.33)
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeStat(string path, [Out] byte[] buffer);
}
