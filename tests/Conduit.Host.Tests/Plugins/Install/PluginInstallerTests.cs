using System.Text.Json;
using Conduit.Host.Plugins;
using Conduit.Host.Plugins.Install;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Plugins.Install;

public sealed class PluginInstallerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestFeed _feed;
    private readonly string _plugins;

    public PluginInstallerTests()
    {
        _feed = new TestFeed(_temp.Path);
        _plugins = _temp.Combine("plugins");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Install_lays_out_the_plugin_over_its_dependencies_assemblies_and_linux_natives_and_locks_every_package()
    {
        _feed.Library("Dep.Two", "2.0.0");
        _feed.Library("Dep.One", "1.0.0", ("Dep.Two", "2.0.0"), ("Microsoft.Extensions.Logging.Abstractions", "8.0.0"));
        _feed.Plugin("Conduit.Plugins.acme", "1.0.0", "acme", dependencies: [("Dep.One", "1.0.0"), ("Conduit.Abstractions", "1.0.0")]);

        InstalledPlugin installed = await InstallAsync("acme");

        Assert.Equal(("acme", "1.0.0", 2), (installed.Id, installed.Package.Version.ToString(), installed.Dependencies));
        string folder = Path.Combine(_plugins, "acme");
        Assert.Equal(["Dep.One.dll", "Dep.Two.dll", "acme.dll", "libDep.One.so", "libDep.Two.so", "plugin.json"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("net8.0", File.ReadAllText(Path.Combine(folder, "Dep.One.dll"))); // the nearest framework's
        PluginLock locked = PluginLock.Read(Path.Combine(_plugins, PluginLock.FileName));
        Assert.Equal("Conduit.Plugins.acme", locked.Plugins["acme"].Package!.Id);
        Assert.Null(locked.Check("acme", folder));
        Assert.Equal(["conduit.plugins.acme/1.0.0", "dep.one/1.0.0", "dep.two/2.0.0"], locked.Packages.Keys);
        Assert.Empty(Directory.GetDirectories(_plugins, ".*"));
    }

    [Fact]
    public async Task Update_takes_the_newest_version_and_then_says_it_is_up_to_date()
    {
        _feed.Plugin("Conduit.Plugins.acme", "1.0.0", "acme");
        await InstallAsync("acme");
        _feed.Plugin("Conduit.Plugins.acme", "1.1.0", "acme", dll: "newer code");

        using PluginFeeds feeds = PluginFeeds.Load([], _feed.WorkingDirectory);
        var installer = new PluginInstaller(_plugins, feeds);
        InstalledPlugin? updated = await installer.UpdateAsync("acme", prerelease: false, CancellationToken.None);

        Assert.Equal("1.1.0", updated?.Package.Version.ToString());
        Assert.Equal("newer code", File.ReadAllText(Path.Combine(_plugins, "acme", "acme.dll")));
        Assert.Null(await installer.UpdateAsync("acme", prerelease: false, CancellationToken.None));
    }

    [Fact]
    public async Task A_plugin_built_against_another_contract_is_refused_with_the_reason_and_the_installed_one_stays()
    {
        _feed.Plugin("Conduit.Plugins.acme", "1.0.0", "acme");
        await InstallAsync("acme");
        string lockBefore = File.ReadAllText(Path.Combine(_plugins, PluginLock.FileName));
        _feed.Plugin("Conduit.Plugins.acme", "2.0.0", "acme", abstractions: "2.0.0", dll: "contract 2 code");

        var refused = await Assert.ThrowsAsync<PluginInstallException>(() => InstallAsync("acme"));

        Assert.Contains("Conduit.Plugins.acme.2.0.0 (plugin 'acme') is incompatible: built against contract 2.0.0", refused.Message);
        Assert.Equal("plugin code", File.ReadAllText(Path.Combine(_plugins, "acme", "acme.dll")));
        Assert.Equal(lockBefore, File.ReadAllText(Path.Combine(_plugins, PluginLock.FileName)));
        Assert.Empty(Directory.GetDirectories(_plugins, ".*"));
    }

    [Fact]
    public async Task A_package_whose_content_changed_for_a_version_seen_before_is_refused_even_after_a_remove()
    {
        _feed.Plugin("Conduit.Plugins.acme", "1.0.0", "acme");
        await InstallAsync("acme");
        _feed.Plugin("Conduit.Plugins.acme", "1.0.0", "acme", dll: "tampered code");

        var refused = await Assert.ThrowsAsync<PluginInstallException>(() => InstallAsync("acme@1.0.0"));
        Assert.Contains("Conduit.Plugins.acme.1.0.0 from ", refused.Message);
        Assert.Contains("is not the package installed before under that version", refused.Message);
        Assert.Equal("plugin code", File.ReadAllText(Path.Combine(_plugins, "acme", "acme.dll")));

        new PluginInstaller(_plugins, PluginFeeds.None).Remove("acme");
        Assert.False(Directory.Exists(Path.Combine(_plugins, "acme")));
        Assert.Empty(PluginLock.Read(Path.Combine(_plugins, PluginLock.FileName)).Plugins);
        await Assert.ThrowsAsync<PluginInstallException>(() => InstallAsync("acme"));
    }

    [Theory]
    [InlineData("nothing", "'nothing': no package Conduit.Plugins.nothing or nothing on ")]
    [InlineData("acme@3.0.0", "Conduit.Plugins.acme: no version 3.0.0 on ")]
    [InlineData("Plain.Library", "Plain.Library.1.0.0 is not a Conduit plugin package (it has no plugin/plugin.json)")]
    [InlineData("needs-missing", "Missing.Dep (>= 1.0.0): no such version on ")]
    [InlineData("acme@x", "'acme@x': 'x' is not a version; expected for example acme@1.2.0")]
    public async Task What_cannot_be_installed_is_refused_in_one_line_and_leaves_the_folder_as_it_was(string request, string expected)
    {
        _feed.Plugin("Conduit.Plugins.acme", "1.0.0", "acme");
        _feed.Library("Plain.Library", "1.0.0");
        _feed.Plugin("Conduit.Plugins.needs-missing", "1.0.0", "needs-missing", dependencies: [("Missing.Dep", "1.0.0")]);

        var refused = await Assert.ThrowsAsync<PluginInstallException>(() => InstallAsync(request));

        Assert.Contains(expected, refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.True(!Directory.Exists(_plugins) || Directory.GetFileSystemEntries(_plugins).Length == 0);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void Remove_takes_a_plugin_id_never_a_path(string id)
    {
        string outside = Directory.CreateDirectory(_temp.Combine("outside")).FullName;
        Directory.CreateDirectory(_plugins);

        var refused = Assert.Throws<PluginInstallException>(() => new PluginInstaller(_plugins, PluginFeeds.None).Remove(id));

        Assert.StartsWith($"'{id}': not a plugin id: ", refused.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(outside));
    }

    [Fact]
    public async Task The_lock_written_by_an_install_is_kept_by_plugins_lock_and_refuses_a_changed_file_at_load()
    {
        _feed.Plugin("Conduit.Plugins.acme", "1.0.0", "acme");
        await InstallAsync("acme");
        string lockPath = Path.Combine(_plugins, PluginLock.FileName);

        PluginLock rewritten = PluginLock.Write(lockPath, [_plugins]);
        File.AppendAllText(Path.Combine(_plugins, "acme", "acme.dll"), "!");

        Assert.Equal("Conduit.Plugins.acme", rewritten.Plugins["acme"].Package?.Id);
        Assert.NotEmpty(rewritten.Packages);
        Assert.Contains("'acme.dll' changed since plugins.lock was written", PluginLock.Read(lockPath).Check("acme", Path.Combine(_plugins, "acme")));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(lockPath));
        Assert.True(json.RootElement.TryGetProperty("packages", out _));
    }

    private async Task<InstalledPlugin> InstallAsync(string request)
    {
        using PluginFeeds feeds = PluginFeeds.Load([], _feed.WorkingDirectory);
        return await new PluginInstaller(_plugins, feeds).InstallAsync(PluginPackageRequest.Parse(request), prerelease: false, CancellationToken.None);
    }
}
