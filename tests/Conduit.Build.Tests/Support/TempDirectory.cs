namespace Conduit.Build.Tests.Support;

/// <summary>A folder deleted when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "conduit-build-tests", Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Copies <paramref name="source"/> (following a symbolic link) into the folder and returns the copy's path.</summary>
    public string CopyIn(string source, string? name = null)
    {
        string target = System.IO.Path.Combine(Path, name ?? System.IO.Path.GetFileName(source));
        File.Copy(source, target);
        return target;
    }

    public string Write(string name, byte[] bytes)
    {
        string target = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(target, bytes);
        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans temp.
        }
    }
}
