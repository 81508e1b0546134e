using System.Diagnostics;

namespace Conduit.Host.Workers;

/// <summary>
/// How a server starts a worker process: this host's own executable (its apphost, else <c>dotnet conduit.dll</c>)
/// with the server's plugin folders and lock, in the server's folder, so that a worker loads exactly what the server
/// validated the job against.
/// </summary>
public sealed class WorkerLaunch
{
    private readonly string _fileName;
    private readonly string[] _prefix;
    private readonly string[] _plugins;
    private readonly int _threads;

    /// <summary>A launch of this host's executable, loading plugins from <paramref name="pluginRoots"/>.</summary>
    /// <param name="pluginRoots">The server's plugin folders.</param>
    /// <param name="lockFile">The server's plugin lock, when it runs locked.</param>
    /// <param name="limits">What a job may take of the machine.</param>
    /// <param name="concurrentJobs">How many jobs run at once on this machine: each worker's share of the cores.</param>
    public WorkerLaunch(IEnumerable<string> pluginRoots, string? lockFile, Jobs.JobLimits limits, int concurrentJobs = 1)
    {
        _threads = Math.Max(1, Environment.ProcessorCount / Math.Max(1, concurrentJobs));
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(pluginRoots);
        string assembly = typeof(WorkerLaunch).Assembly.Location;
        string appHost = Path.ChangeExtension(assembly, null);
        bool useAppHost = File.Exists(appHost) && !OperatingSystem.IsWindows();
        _fileName = useAppHost ? appHost : DotnetHost();
        _prefix = useAppHost ? [] : ["exec", assembly];
        _plugins = [.. pluginRoots.SelectMany(root => new[] { "--plugins", Path.GetFullPath(root) }),
            .. lockFile is null ? [] : new[] { "--locked", "--lock-file", Path.GetFullPath(lockFile) },
            .. limits.MaxMemoryBytes > 0 ? new[] { "--max-job-memory-mb", (limits.MaxMemoryBytes >> 20).ToString(System.Globalization.CultureInfo.InvariantCulture) } : []];
    }

    /// <summary>The start info for running <paramref name="jobFile"/>.</summary>
    internal ProcessStartInfo For(string jobFile, bool resume)
    {
        var start = new ProcessStartInfo(_fileName)
        {
            WorkingDirectory = Environment.CurrentDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // libtorch and ONNX Runtime each take every core by default: jobs running side by side would oversubscribe
        // them (spinning thread pools slow each other down), so each gets its share unless the user chose
        // (OMP_NUM_THREADS set) or the job does (trainer.num_threads).
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null)
        {
            start.Environment["OMP_NUM_THREADS"] = _threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (string arg in (string[])[.. _prefix, "worker", "--job", jobFile, .. resume ? new[] { "--resume" } : [], .. _plugins])
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }

    // The muxer that runs this process (tests run under it), else the one the SDK names, else the one on PATH.
    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";
}
