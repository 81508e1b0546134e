using Conduit.Host.Plugins;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Plugins;

public sealed class PluginManifestReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string json)
    {
        string folder = _temp.Combine("my-plugin");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "plugin.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Reads_every_field()
    {
        var manifest = PluginManifestReader.Read(Write("""
            { "id": "acme.logger", "version": "1.2.3-beta.1", "kind": "logger", "entryAssembly": "Acme.dll",
              "abstractions": "0.1.0", "description": "Logs.", "requires": ["torchsharp"], "terminal": true,
              "preload": ["libacme.so", "libacme_ops.so"] }
            """));
        Assert.Equal("acme.logger", manifest.Id);
        Assert.Equal(new Version(1, 2, 3), manifest.Version);
        Assert.Equal("logger", manifest.Kind);
        Assert.Equal("Acme.dll", manifest.EntryAssembly);
        Assert.Equal(new Version(0, 1, 0), manifest.Abstractions);
        Assert.Equal(["torchsharp"], manifest.Requires);
        Assert.True(manifest.Terminal);
        Assert.Equal(["libacme.so", "libacme_ops.so"], manifest.Preload);
    }

    [Theory]
    [InlineData("""{ "id": "Bad Id", "version": "1.0.0", "kind": "tool", "entryAssembly": "a.dll", "abstractions": "0.1.0" }""", "my-plugin/plugin.json: 'id' is 'Bad Id'; expected lower-case letters")]
    [InlineData("""{ "id": "a", "version": "one", "kind": "tool", "entryAssembly": "a.dll", "abstractions": "0.1.0" }""", "my-plugin/plugin.json: 'version' is 'one'; expected a version such as 1.2.0.")]
    [InlineData("""{ "id": "a", "version": "1.0.0", "kind": 3, "entryAssembly": "a.dll", "abstractions": "0.1.0" }""", "my-plugin/plugin.json: 'kind' must be a string, found Number (3).")]
    [InlineData("""{ "id": "a", "version": "1.0.0", "kind": "tool", "abstractions": "0.1.0" }""", "my-plugin/plugin.json: required key 'entryAssembly' is missing or empty.")]
    [InlineData("""{ "id": "a", "version": "1.0.0", "kind": "tool", "entryAssembly": "a.dll", "abstractions": "0.1.0", "requires": "x" }""", "my-plugin/plugin.json: 'requires' must be an array of plugin ids")]
    [InlineData("""{ "id": "a", "version": "1.0.0", "kind": "tool", "entryAssembly": "a.dll", "abstractions": "0.1.0", "terminal": "yes" }""", "my-plugin/plugin.json: 'terminal' must be true or false, found String")]
    [InlineData("""[1, 2]""", "my-plugin/plugin.json: expected a JSON object, found Array.")]
    [InlineData("""{ "id": "a", "version": "1.0.0", "kind": "tool", "entryAssembly": "a.dll", "abstractions": "0.1.0", "preload": ["../../lib/libc.so.6"] }""", "my-plugin/plugin.json: 'preload' holds '../../lib/libc.so.6'; expected the name of a file in the plugin's folder, without a path.")]
    [InlineData("""{ "id": "a", "version": "1.0.0", "kind": "tool", "entryAssembly": "a.dll", "abstractions": "0.1.0", "preload": ["/usr/lib/libx.so"] }""", "my-plugin/plugin.json: 'preload' holds '/usr/lib/libx.so'; expected the name of a file in the plugin's folder")]
    [InlineData("""{ "id": "a", "version": "1.0.0", "kind": "tool", "entryAssembly": "a.dll", "abstractions": "0.1.0", "preload": [".."] }""", "my-plugin/plugin.json: 'preload' holds '..'; expected the name of a file")]
    [InlineData("""{ "id": "a", "version": "1.0.0", "kind": "tool", "entryAssembly": "a.dll", "abstractions": "0.1.0", "preload": [3] }""", "my-plugin/plugin.json: 'preload' must be an array of file names")]
    public void Names_the_file_and_key_of_a_bad_value(string json, string expected)
    {
        var error = Assert.Throws<PluginManifestException>(() => PluginManifestReader.Read(Write(json)));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
