using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conduit.Benchmarks;

namespace Conduit.Benchmarks.Workers;

/// <summary>The built host and nats-server, as processes: started with arguments, killed (with their children) at the end.</summary>
internal static class Host
{
    public static string Dll => Path.Combine(RepositoryRoot.Path, "src", "Host", "bin", "Release", "net10.0", "conduit.dll");

    public static Process Start(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process = Process.Start(start)!;
        process.BeginErrorReadLine();
        return process;
    }

    public static Process Conduit(params string[] arguments) => Start("dotnet", ["exec", Dll, .. arguments]);

    public static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
