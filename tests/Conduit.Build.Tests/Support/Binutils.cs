using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Conduit.Build.Tests.Support;

/// <summary>binutils' <c>readelf</c> and <c>objdump</c>, as independent readers of ELF files, when they are installed.</summary>
internal static partial class Binutils
{
    public static bool HasReadelf { get; } = FindOnPath("readelf") is not null;

    public static bool HasObjdump { get; } = FindOnPath("objdump") is not null;

    /// <summary>The (name, flags) of every Vernaux entry <c>readelf -V</c> prints for <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<(string Name, string Flags)> VersionNeeds(string path)
    {
        string output = Run("readelf", "-V", "-W", path);
        string needs = output[output.IndexOf(".gnu.version_r", StringComparison.Ordinal)..];
        return [.. NeedLine().Matches(needs).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];
    }

    /// <summary>The dynamic symbols of <paramref name="path"/> bound to <paramref name="version"/>, as <c>objdump -T</c> prints them.</summary>
    public static IReadOnlyList<string> SymbolsOfVersion(string path, string version) =>
        [.. Run("objdump", "-T", "-w", path).Split('\n')
            .Where(line => line.Contains($"({version})", StringComparison.Ordinal) || line.Contains($" {version} ", StringComparison.Ordinal))
            .Select(line => line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])];

    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(FindOnPath(tool) ?? throw new InvalidOperationException($"{tool} is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors.Result}");
        return output;
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"Name: (\S+)\s+Flags: (\S+)")]
    private static partial Regex NeedLine();
}
