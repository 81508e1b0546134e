using Conduit.Host.Plugins;
using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Plugins;

/// <summary><c>plugins.lock</c>: under a lock, a plugin whose files changed or that the lock does not know is refused before its code runs.</summary>
public sealed class PluginLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly PluginFolderBuilder _folders;

    public PluginLockTests() => _folders = new PluginFolderBuilder(_temp.Combine("plugins"));

    public void Dispose() => _temp.Dispose();

    private ConduitHost Start(PluginLock? pluginLock)
    {
        var options = new ConduitHostOptions();
        options.Plugins.Roots.Add(_folders.Root);
        options.Plugins.Lock = pluginLock;
        return ConduitHost.Start(options);
    }

    [Fact]
    public async Task Locked_plugins_load_while_their_files_are_unchanged()
    {
        _folders.Copy(RepoPaths.TestPlugin("fixture.good"));
        _folders.Copy(Path.Combine(RepoPaths.Plugins, "cpu"));
        PluginLock written = PluginLock.Write(_temp.Combine(PluginLock.FileName), [_folders.Root]);
        Assert.Equal(["cpu", "fixture.good"], written.Plugins.Keys.Order());

        await using ConduitHost host = Start(PluginLock.Read(written.Path));
        Assert.All(host.Plugins.Records, r => Assert.Equal(PluginStatus.Loaded, r.Status));
    }

    [Fact]
    public void Locking_again_replaces_a_lock_that_cannot_be_read()
    {
        _folders.Copy(RepoPaths.TestPlugin("fixture.good"));
        string path = _temp.Combine(PluginLock.FileName);
        File.WriteAllText(path, "{ not a lock");

        PluginLock written = PluginLock.Write(path, [_folders.Root]);

        Assert.Equal(["fixture.good"], written.Plugins.Keys);
        Assert.Equal(["fixture.good"], PluginLock.Read(path).Plugins.Keys);
    }

    [Fact]
    public async Task A_changed_byte_in_a_plugin_assembly_is_refused_naming_the_file()
    {
        string good = _folders.Copy(RepoPaths.TestPlugin("fixture.good"));
        _folders.Copy(Path.Combine(RepoPaths.Plugins, "cpu"));
        PluginLock written = PluginLock.Write(_temp.Combine(PluginLock.FileName), [_folders.Root]);
        string assembly = Directory.GetFiles(good, "*.dll").Single();
        byte[] bytes = await File.ReadAllBytesAsync(assembly);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(assembly, bytes);

        await using ConduitHost host = Start(written);
        PluginRecord refused = Assert.Single(host.Plugins.Records, r => r.Id == "fixture.good");
        Assert.Equal(PluginStatus.Refused, refused.Status);
        Assert.Matches($@"^'{Path.GetFileName(assembly)}' changed since plugins\.lock was written \(SHA-256 [0-9a-f]{{12}}\.\.\., locked [0-9a-f]{{12}}\.\.\.\)$", refused.Reason);
        Assert.Null(refused.LoadContext); // refused before any of its code was loaded
        Assert.Equal(PluginStatus.Loaded, Assert.Single(host.Plugins.Records, r => r.Id == "cpu").Status);
    }

    [Fact]
    public async Task A_plugin_the_lock_does_not_know_or_an_added_file_is_refused()
    {
        _folders.Copy(Path.Combine(RepoPaths.Plugins, "cpu"));
        PluginLock written = PluginLock.Write(_temp.Combine(PluginLock.FileName), [_folders.Root]);
        _folders.Copy(RepoPaths.TestPlugin("fixture.good"));

        await using (ConduitHost host = Start(written))
        {
            PluginRecord unknown = Assert.Single(host.Plugins.Records, r => r.Id == "fixture.good");
            Assert.Equal(PluginStatus.Refused, unknown.Status);
            Assert.StartsWith("not in plugins.lock", unknown.Reason, StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(Path.Combine(_folders.Root, "cpu", "extra.dll"), "not reviewed");
        await using (ConduitHost host = Start(written))
        {
            PluginRecord cpu = Assert.Single(host.Plugins.Records, r => r.Id == "cpu");
            Assert.Equal(PluginStatus.Refused, cpu.Status);
            Assert.Equal("'extra.dll' is not in plugins.lock", cpu.Reason);
        }
    }

    [Fact]
    public async Task The_command_line_writes_the_lock_and_loads_under_it()
    {
        _folders.Copy(Path.Combine(RepoPaths.Plugins, "cpu"));
        string lockFile = _temp.Combine("my.lock");
        CliRunner.Result written = await CliRunner.RunAsync("plugins", "lock", "--plugins", _folders.Root, "--lock-file", lockFile);
        Assert.True(written.ExitCode == 0, written.Error);
        Assert.StartsWith("locked 1 plugin(s)", written.Output, StringComparison.Ordinal);
        _folders.Copy(RepoPaths.TestPlugin("fixture.good"));

        CliRunner.Result list = await CliRunner.RunAsync("plugins", "list", "--plugins", _folders.Root, "--locked", "--lock-file", lockFile, "--json");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("not in plugins.lock", list.Output, StringComparison.Ordinal);
        Assert.Contains("refused", list.Output, StringComparison.OrdinalIgnoreCase);

        CliRunner.Result missing = await CliRunner.RunAsync("plugins", "list", "--plugins", _folders.Root, "--locked", "--lock-file", _temp.Combine("none.lock"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no plugin lock; write one with 'conduit plugins lock'", missing.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"plugins": {"csv": null}}""", "plugin 'csv' has no 'files' object; expected each file's SHA-256 as 'conduit plugins lock' writes it.")]
    [InlineData("""{"plugins": {"csv": {"version": "1.0.0"}}}""", "plugin 'csv' has no 'files' object; expected each file's SHA-256 as 'conduit plugins lock' writes it.")]
    [InlineData("""{"plugins": {"csv": {"files": {"plugin.json": "abc"}}}}""", "plugin 'csv', file 'plugin.json': \"abc\" is not a SHA-256; expected 64 lowercase hex digits as 'conduit plugins lock' writes them.")]
    [InlineData("""{"plugins": {"csv": {"files": {"plugin.json": null}}}}""", "plugin 'csv', file 'plugin.json': null is not a SHA-256; expected 64 lowercase hex digits as 'conduit plugins lock' writes them.")]
    public void Null_plugins_and_bad_hashes_are_refused_when_read(string json, string expected)
    {
        // Found by fuzzing: {"plugins": {"csv": null}} was read, and checking a plugin against it threw NullReferenceException.
        string path = _temp.Combine(PluginLock.FileName);
        File.WriteAllText(path, json);

        Assert.Equal($"{path}: {expected}", Assert.Throws<InvalidDataException>(() => PluginLock.Read(path)).Message);
    }

    [Fact]
    public void A_bad_token_with_a_line_break_is_refused_in_one_line()
    {
        // Found by fuzzing: System.Text.Json quotes the bad token, here "fbC\0\n0...", line break included.
        string path = _temp.Combine(PluginLock.FileName);
        File.WriteAllBytes(path, Convert.FromBase64String("ZmJDAAow77+977+9Bg=="));

        string message = Assert.Throws<InvalidDataException>(() => PluginLock.Read(path)).Message;

        Assert.StartsWith($"{path}: not a plugin lock: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
