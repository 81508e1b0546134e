using System.Text;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace Conduit.Host.Tests.Plugins.Install;

/// <summary>A folder feed of packages written in the test, and a nuget.config beside it that names it alone.</summary>
internal sealed class TestFeed
{
    public TestFeed(string root)
    {
        Folder = Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
        // The user's NuGet configuration as the installer reads it: this feed only, nothing from the network.
        File.WriteAllText(Path.Combine(WorkingDirectory, "nuget.config"),
            $"<configuration><packageSources><clear /><add key=\"test\" value=\"{Folder}\" /></packageSources></configuration>");
    }

    public string Folder { get; }

    public string WorkingDirectory { get; }

    /// <summary>A plugin package: plugin/plugin.json and an entry assembly, with dependencies for net8.0.</summary>
    public string Plugin(string packageId, string version, string pluginId, string abstractions = "1.0.0", string dll = "plugin code", params (string Id, string Range)[] dependencies)
    {
        string manifest = $$"""{"id": "{{pluginId}}", "version": "{{version}}", "kind": "logger", "entryAssembly": "{{pluginId}}.dll", "abstractions": "{{abstractions}}", "description": "test"}""";
        return Write(packageId, version, ["ConduitPlugin"], dependencies,
            ("plugin/plugin.json", manifest), ($"plugin/{pluginId}.dll", dll));
    }

    /// <summary>A library package with assemblies for two frameworks and natives for two runtimes.</summary>
    public string Library(string id, string version, params (string Id, string Range)[] dependencies) =>
        Write(id, version, [], dependencies,
            ($"lib/netstandard2.0/{id}.dll", "netstandard2.0"), ($"lib/net8.0/{id}.dll", "net8.0"), ($"lib/net8.0/{id}.xml", "docs"),
            ($"runtimes/linux-x64/native/lib{id}.so", "linux native"), ($"runtimes/win-x64/native/{id}.dll", "windows native"));

    public string Write(string id, string version, string[] types, (string Id, string Range)[] dependencies, params (string Path, string Content)[] files)
    {
        var builder = new PackageBuilder { Id = id, Version = NuGetVersion.Parse(version), Description = id };
        builder.Authors.Add("tests");
        foreach (string type in types)
        {
            builder.PackageTypes.Add(new PackageType(type, new Version(0, 0)));
        }
        if (dependencies.Length > 0)
        {
            builder.DependencyGroups.Add(new PackageDependencyGroup(NuGetFramework.Parse("net8.0"),
                dependencies.Select(d => new PackageDependency(d.Id, VersionRange.Parse(d.Range)))));
        }
        foreach (var (path, content) in files)
        {
            builder.Files.Add(new PhysicalPackageFile(new MemoryStream(Encoding.UTF8.GetBytes(content))) { TargetPath = path });
        }
        string file = Path.Combine(Folder, $"{id}.{version}.nupkg".ToLowerInvariant());
        using (FileStream stream = File.Create(file))
        {
            builder.Save(stream);
        }
        return file;
    }
}
