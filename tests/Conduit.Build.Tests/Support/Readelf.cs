using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Conduit.Build.Tests.Support;

/// <summary>binutils' <c>readelf -V</c>, as an independent reader of version requirements, when it is installed.</summary>
internal static partial class Readelf
{
    public static bool IsInstalled { get; } = FindOnPath("readelf") is not null;

    /// <summary>The (name, flags) of every Vernaux entry <c>readelf -V</c> prints for <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<(string Name, string Flags)> VersionNeeds(string path)
    {
        var start = new ProcessStartInfo(FindOnPath("readelf") ?? throw new InvalidOperationException("readelf is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-V");
        start.ArgumentList.Add("-W");
        start.ArgumentList.Add(path);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        string needs = output[output.IndexOf(".gnu.version_r", StringComparison.Ordinal)..];
        return [.. NeedLine().Matches(needs).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"Name: (\S+)\s+Flags: (\S+)")]
    private static partial Regex NeedLine();
}
