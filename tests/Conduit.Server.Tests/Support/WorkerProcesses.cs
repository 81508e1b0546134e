using System.Diagnostics;

namespace Conduit.Server.Tests.Support;

/// <summary>Real <c>conduit worker --nats</c> processes, started from the host built beside the tests; killed when disposed.</summary>
internal sealed class WorkerProcesses : IDisposable
{
    private readonly List<Process> _processes = [];

    public IReadOnlyList<Process> Processes => _processes;

    public Process Start(string natsUrl, int slots = 1)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "conduit"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])["worker", "--nats", natsUrl, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--plugins", RepoPaths.Plugins])
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
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
