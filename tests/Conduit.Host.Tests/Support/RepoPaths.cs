namespace Conduit.Host.Tests.Support;

/// <summary>Where the built plugins and fixtures are.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shipped plugins, as the build lays them out.</summary>
    public static string Plugins => Path.Combine(Root, "artifacts", "plugins");

    /// <summary>The fixture plugins built from tests/Fixtures.</summary>
    public static string TestPlugins => Path.Combine(Root, "artifacts", "test-plugins");

    public static string TestPlugin(string folder) => Path.Combine(TestPlugins, folder);

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
