namespace Conduit.Host.Tests.Support;

/// <summary>Lays out a plugins folder for a test: copies of built plugins, and broken folders written on the spot.</summary>
internal sealed class PluginFolderBuilder(string root)
{
    public string Root { get; } = root;

    /// <summary>Copies a built plugin folder (from artifacts) under <see cref="Root"/>.</summary>
    public string Copy(string builtFolder, string? as_ = null)
    {
        if (!Directory.Exists(builtFolder))
        {
            throw new DirectoryNotFoundException($"{builtFolder} is not built; build Host.sln first.");
        }
        string target = Path.Combine(Root, as_ ?? Path.GetFileName(builtFolder));
        foreach (string file in Directory.EnumerateFiles(builtFolder, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(builtFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    /// <summary>Writes a folder with the given files (name to content).</summary>
    public string Write(string folder, params (string Name, byte[] Content)[] files)
    {
        string target = Path.Combine(Root, folder);
        Directory.CreateDirectory(target);
        foreach (var (name, content) in files)
        {
            File.WriteAllBytes(Path.Combine(target, name), content);
        }
        return target;
    }

    public static (string, byte[]) Text(string name, string content) => (name, System.Text.Encoding.UTF8.GetBytes(content));

    public static (string, byte[]) Manifest(string id, string entry, string kind = "tool", string abstractions = "1.0.0", string version = "1.0.0") =>
        Text("plugin.json", $$"""{ "id": "{{id}}", "version": "{{version}}", "kind": "{{kind}}", "entryAssembly": "{{entry}}", "abstractions": "{{abstractions}}", "description": "written by a test" }""");
}
