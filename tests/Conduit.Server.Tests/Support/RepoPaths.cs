namespace Conduit.Server.Tests.Support;

/// <summary>Where the repository, its built plugins and test results are.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Plugins => Path.Combine(Root, "artifacts", "plugins");

    /// <summary>Where test artifacts (the dashboard screenshot) are kept: beside the test result files.</summary>
    public static string TestResults => Path.Combine(Root, "artifacts", "test-results");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Host.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Host.sln not found above the test assembly.");
    }
}
