using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Conduit.Benchmarks;

namespace Conduit.Benchmarks.Reliability;

/// <summary>The built host as a real process: its output captured, ended only by exiting or by SIGKILL.</summary>
internal sealed class ConduitProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private ConduitProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Dll => Path.Combine(RepositoryRoot.Path, "src", "Host", "bin", "Release", "net10.0", "conduit.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public string Error { get { lock (_error) { return _error.ToString(); } } }

    public static ConduitProcess Start(params string[] arguments)
    {
        // stdin stays open (redirected): a worker reads its end as "the server went away".
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (string argument in (string[])["exec", Dll, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        return new ConduitProcess(Process.Start(start)!);
    }

    /// <summary>SIGKILL (Process.Kill on Unix): no handler, no clean-up runs. Only this process, not its children.</summary>
    public void Kill9()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // It ended on its own first.
        }
        _process.WaitForExit();
    }

    public async Task<int> WaitAsync(TimeSpan limit)
    {
        await _process.WaitForExitAsync().WaitAsync(limit);
        _process.WaitForExit(); // the output readers reach their end
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }
}
