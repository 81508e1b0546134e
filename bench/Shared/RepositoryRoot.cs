namespace Conduit.Benchmarks;

/// <summary>The repository the benchmark runs from (the folder holding Host.sln): samples, built plugins, the conduit script.</summary>
internal static class RepositoryRoot
{
    /// <summary>The repository root.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Host.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository: Host.sln was not found above " + AppContext.BaseDirectory);
    }
}
