
namespace Conduit.Benchmarks;

/// <summary>The host as a benchmark runs it: built in Release by the <c>conduit</c> script, as a user's first run builds it.</summary>
internal static class HostBuild
{
    /// <summary>
    /// Runs <c>./conduit --version</c> with <c>CONDUIT_CONFIGURATION=Release</c> (which the benchmark's children inherit):
    /// the script builds the host and its plugins only when a source changed. False when the build failed; the
    /// script has written its errors to standard error.
    /// </summary>
    public static async Task<bool> EnsureReleaseAsync()
    {
        Environment.SetEnvironmentVariable("CONDUIT_CONFIGURATION", "Release");
        Console.Error.WriteLine("Making sure the host is built (./conduit --version)...");
        using System.Diagnostics.Process build = System.Diagnostics.Process.Start("bash", [Path.Combine(RepositoryRoot.Path, "conduit"), "--version"]);
        await build.WaitForExitAsync().ConfigureAwait(false);
        return build.ExitCode == 0;
    }
}
