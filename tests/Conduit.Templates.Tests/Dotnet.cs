using System.Diagnostics;
using System.Text;

namespace Conduit.Templates.Tests;

/// <summary>Runs the dotnet CLI as a user would; <see cref="RunAsync"/> fails the test with its output when it fails.</summary>
internal static class Dotnet
{
    public static async Task<string> RunAsync(string workingDirectory, params string[] args)
    {
        (int code, string output) = await TryRunAsync(workingDirectory, args);
        Assert.True(code == 0, $"dotnet {string.Join(' ', args)} exited with {code}:\n{output}");
        return output;
    }

    /// <summary>Runs the command; its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> TryRunAsync(string workingDirectory, params string[] args) =>
        TryRunProgramAsync("dotnet", workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs <paramref name="program"/> (dotnet, or a tool it installed) as <see cref="RunAsync"/> does, with extra environment variables.</summary>
    public static async Task<string> RunProgramAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        (int code, string output) = await TryRunProgramAsync(program, workingDirectory, environment, args);
        Assert.True(code == 0, $"{program} {string.Join(' ', args)} exited with {code}:\n{output}");
        return output;
    }

    /// <summary>Runs <paramref name="program"/>; its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunProgramAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The template's projects build on their own: nothing of this repository's build may leak into them.
        foreach (string variable in (string[])["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "VSTEST_HOST_DEBUG"])
        {
            start.Environment.Remove(variable);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        return (process.ExitCode, output.ToString());
    }
}
