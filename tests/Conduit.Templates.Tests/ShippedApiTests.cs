namespace Conduit.Templates.Tests;

/// <summary>
/// The 1.0 contract is shipped (PublicAPI.Shipped.txt): a copy of Conduit.Abstractions builds as it is, and the same
/// copy with one shipped member deleted does not, naming the member.
/// </summary>
public sealed class ShippedApiTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("conduit-shipped-api").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Removing_a_shipped_public_member_fails_the_build()
    {
        string repo = TemplateTests.RepoRoot;
        foreach (string file in (string[])["Directory.Build.props", "Directory.Packages.props", "global.json"])
        {
            File.Copy(Path.Combine(repo, file), Path.Combine(_root, file));
        }
        string project = Path.Combine(_root, "src", "Abstractions");
        CopySources(Path.Combine(repo, "src", "Abstractions"), project);
        string[] build = ["build", project, "-c", "Release", "-p:GenerateDocumentationFile=false", "-nologo"];

        (int intact, string intactOutput) = await Dotnet.TryRunAsync(_root, build);
        Assert.True(intact == 0, intactOutput);

        string batch = Path.Combine(project, "Data", "DataBatch.cs");
        string source = await File.ReadAllTextAsync(batch);
        const string Member = "public int Count =>";
        Assert.Contains(Member, source);
        await File.WriteAllLinesAsync(batch, source.Split('\n').Where(line => !line.Contains(Member, StringComparison.Ordinal)));
        (int removed, string output) = await Dotnet.TryRunAsync(_root, build);

        Assert.NotEqual(0, removed);
        Assert.Contains("RS0017", output, StringComparison.Ordinal);
        Assert.Contains("Conduit.Data.DataBatch.Count.get", output, StringComparison.Ordinal);
    }

    // The project's own files, not what a build left in it.
    private static void CopySources(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
