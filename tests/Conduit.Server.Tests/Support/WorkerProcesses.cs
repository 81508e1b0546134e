using System.Diagnostics;

namespace Conduit.Server.Tests.Support;

/// <summary>Real <c>conduit worker --nats</c> processes, started from the host built beside the tests; killed when disposed.</summary>
internal sealed class WorkerProcesses : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

    public IReadOnlyList<Process> Processes => _processes;

    /// <summary>What the workers wrote to standard error, each line prefixed with its pid.</summary>
    public IEnumerable<string> Errors => _errors;

    /// <summary>Starts a worker; with <paramref name="store"/> it keeps jobs' files beside that store, sharing no folder with the server.</summary>
    public Process Start(string natsUrl, int slots = 1, string? store = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "conduit"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])["worker", "--nats", natsUrl, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--plugins", RepoPaths.Plugins,
            .. store is null ? [] : new[] { "--store", store }])
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _errors.Enqueue($"{process.Id}: {line}");
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (Process process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }
}
