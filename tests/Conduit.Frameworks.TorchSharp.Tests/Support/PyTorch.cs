using System.Diagnostics;

namespace Conduit.Frameworks.TorchSharp.Tests.Support;

/// <summary>
/// Real PyTorch (Debian's python3-torch), for the checks only it can make: files PyTorch itself writes (TorchScript,
/// <c>torch.save</c>) and reads. Like the browser tests' chromium, it is installed by .ci/run; missing, a test says so.
/// </summary>
internal static class PyTorch
{
    private static readonly Lazy<string?> Interpreter = new(() =>
        ((string[])["/usr/bin/python3", "python3"]).FirstOrDefault(python => TryRun(python, "import torch", out _) == 0));

    /// <summary>Runs <paramref name="script"/> with an interpreter that has torch; returns its standard output.</summary>
    public static string Run(string script)
    {
        string python = Interpreter.Value ?? throw new InvalidOperationException("python3 with torch is missing: apt-get install python3-torch (.ci/run does)");
        int code = TryRun(python, script, out string output);
        Assert.True(code == 0, output);
        return output;
    }

    private static int TryRun(string python, string script, out string output)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-");
        try
        {
            using Process process = Process.Start(start)!;
            process.StandardInput.Write(script);
            process.StandardInput.Close();
            Task<string> error = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            output += error.Result;
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return -1;
        }
    }
}
