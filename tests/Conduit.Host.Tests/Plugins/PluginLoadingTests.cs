using Conduit.Accelerators;
using Conduit.Host.Plugins;
using Conduit.Host.Tests.Support;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Conduit.Host.Tests.Support.PluginFolderBuilder;

namespace Conduit.Host.Tests.Plugins;

/// <summary>Real plugin folders, built by the solution or written here, loaded through the real loader.</summary>
public sealed class PluginLoadingTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly PluginFolderBuilder _folders;

    public PluginLoadingTests() => _folders = new PluginFolderBuilder(_temp.Combine("plugins"));

    public void Dispose() => _temp.Dispose();

    private async Task<ConduitHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var options = new ConduitHostOptions
        {
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build(),
        };
        options.Plugins.Roots.Add(_folders.Root);
        await Task.Yield();
        return ConduitHost.Start(options);
    }

    private static PluginRecord Single(ConduitHost host, string id) => Assert.Single(host.Plugins.Records, r => r.Id == id);

    private static AcceleratorReport Probe(ConduitHost host, string name) =>
        Assert.Single(host.Plugins.ResolveAll<IAccelerator>(host.Services), a => a.Name == name).Probe();

    [Fact]
    public async Task Good_plugin_loads_registers_its_services_and_receives_bus_messages()
    {
        string folder = _folders.Copy(RepoPaths.TestPlugin("fixture.good"));
        string markers = _temp.Combine("markers");
        Directory.CreateDirectory(markers);

        await using ConduitHost host = await StartAsync(new()
        {
            ["plugins:fixture.good:markerDirectory"] = markers,
            ["plugins:fixture.good:setting"] = "from configuration",
        });

        PluginRecord record = Single(host, "fixture.good");
        Assert.Equal(PluginStatus.Loaded, record.Status);
        Assert.Null(record.Reason);
        Assert.Equal(new Version(0, 1, 0), record.Manifest!.Version);
        AcceleratorReport report = Probe(host, "fixture.good");
        Assert.Equal("from configuration", report.Properties["setting"]);
        Assert.Equal(folder, report.Properties["directory"]);
        Assert.StartsWith(folder, report.Properties["assemblyLocation"], StringComparison.Ordinal);
        Assert.NotEqual("Default", report.Properties["loadContext"]);

        host.Services.GetRequiredService<IPublisher<RunStarted>>().Publish(new RunStarted { RunId = "run-1", Name = "test run", Stage = "fit", StartedAt = DateTimeOffset.UtcNow, Hyperparameters = new Dictionary<string, string>() });
        Assert.Equal("test run", File.ReadAllText(Path.Combine(markers, "fixture.good-run-1.txt")));
        Assert.Single(Assert.Single(host.Bus.GetSnapshot(), t => t.MessageType == typeof(RunStarted)).Subscriptions, s => host.Plugins.FindOwner(s.HandlerType) == record);
    }

    [Fact]
    public async Task Plugin_whose_constructor_throws_is_malfunctioned_and_the_host_goes_on()
    {
        _folders.Copy(RepoPaths.TestPlugin("fixture.constructor-throws"));
        _folders.Copy(RepoPaths.TestPlugin("fixture.good"));

        await using ConduitHost host = await StartAsync();

        PluginRecord broken = Single(host, "fixture.constructor-throws");
        Assert.Equal(PluginStatus.Malfunctioned, broken.Status);
        Assert.Equal("its constructor threw InvalidOperationException: fixture constructor failure", broken.Reason);
        Assert.Equal(PluginStatus.Loaded, Single(host, "fixture.good").Status);
    }

    [Fact]
    public async Task Plugin_that_throws_in_ConfigureServices_leaves_no_registration_behind()
    {
        _folders.Copy(RepoPaths.TestPlugin("fixture.configure-throws"));
        _folders.Copy(RepoPaths.TestPlugin("fixture.good"));

        await using ConduitHost host = await StartAsync();

        PluginRecord broken = Single(host, "fixture.configure-throws");
        Assert.Equal(PluginStatus.Malfunctioned, broken.Status);
        Assert.Equal("ConfigureServices threw InvalidOperationException: fixture registration failure", broken.Reason);
        Assert.Empty(broken.Services);
        var names = host.Plugins.ResolveAll<IAccelerator>(host.Services).Select(a => a.Name).ToList();
        Assert.DoesNotContain("fixture.configure-throws", names);
        Assert.Contains("fixture.good", names);
    }

    [Fact]
    public async Task Plugin_built_against_a_newer_contract_is_incompatible_before_any_code_runs()
    {
        _folders.Copy(RepoPaths.TestPlugin("fixture.newer-contract"));

        await using ConduitHost host = await StartAsync();

        PluginRecord record = Single(host, "fixture.newer-contract");
        Assert.Equal(PluginStatus.Incompatible, record.Status);
        Assert.Contains("built against contract 99.0.0", record.Reason, StringComparison.Ordinal);
        Assert.Null(record.LoadContext);
    }

    [Fact]
    public async Task Plugin_whose_services_do_not_match_its_kind_is_incompatible()
    {
        _folders.Copy(RepoPaths.TestPlugin("fixture.wrong-kind"));

        await using ConduitHost host = await StartAsync();

        PluginRecord record = Single(host, "fixture.wrong-kind");
        Assert.Equal(PluginStatus.Incompatible, record.Status);
        Assert.Equal("declares kind 'datasource' but registered no IDataSource", record.Reason);
        Assert.DoesNotContain(host.Plugins.ResolveAll<IAccelerator>(host.Services), a => a.Name == "fixture.wrong-kind");
    }

    [Fact]
    public async Task Of_two_versions_of_one_id_the_newer_is_loaded_and_the_older_disabled()
    {
        _folders.Copy(RepoPaths.TestPlugin("fixture.versioned-2.0"));
        _folders.Copy(RepoPaths.TestPlugin("fixture.versioned-1.0"));

        await using ConduitHost host = await StartAsync();

        var records = host.Plugins.Records.Where(r => r.Id == "fixture.versioned").ToList();
        Assert.Equal(2, records.Count);
        PluginRecord winner = Assert.Single(records, r => r.Status == PluginStatus.Loaded);
        PluginRecord loser = Assert.Single(records, r => r.Status == PluginStatus.Disabled);
        Assert.Equal(new Version(2, 0, 0), winner.Manifest!.Version);
        Assert.Equal(new Version(1, 0, 0), loser.Manifest!.Version);
        Assert.Equal("superseded by version 2.0.0 in 'fixture.versioned-2.0'", loser.Reason);
        Assert.Equal("2.0.0", Probe(host, "fixture.versioned").Properties["version"]);
    }

    [Fact]
    public async Task Two_plugins_carry_different_versions_of_one_private_dependency()
    {
        string v12 = _folders.Copy(RepoPaths.TestPlugin("fixture.json-12"));
        string v13 = _folders.Copy(RepoPaths.TestPlugin("fixture.json-13"));

        await using ConduitHost host = await StartAsync();

        AcceleratorReport a = Probe(host, "fixture.json-12");
        AcceleratorReport b = Probe(host, "fixture.json-13");
        Assert.Equal("12.0.0.0", a.Properties["newtonsoftVersion"]);
        Assert.Equal("13.0.0.0", b.Properties["newtonsoftVersion"]);
        Assert.StartsWith(v12, a.Properties["newtonsoftLocation"], StringComparison.Ordinal);
        Assert.StartsWith(v13, b.Properties["newtonsoftLocation"], StringComparison.Ordinal);
        Assert.Equal("{\"answer\":42}", a.Properties["roundTrip"]);
        Assert.Equal("{\"answer\":42}", b.Properties["roundTrip"]);
    }

    [Fact]
    public async Task Native_library_loads_from_the_plugins_own_runtimes_folder()
    {
        string folder = _folders.Copy(RepoPaths.TestPlugin("fixture.native-sqlite"));
        Assert.True(Directory.Exists(Path.Combine(folder, "runtimes", "linux-x64", "native")), "the fixture should carry runtimes/linux-x64/native");

        await using ConduitHost host = await StartAsync();

        AcceleratorReport report = Probe(host, "fixture.native-sqlite");
        Assert.Matches(@"^3\.\d+\.\d+$", report.Properties["sqliteVersion"]);
        Assert.StartsWith(Path.Combine(folder, "runtimes"), report.Properties["nativePath"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_folders_are_listed_with_the_reason_and_the_good_plugin_still_works()
    {
        _folders.Copy(RepoPaths.TestPlugin("fixture.good"));
        _folders.Write("no-manifest", Text("Something.dll", "not relevant"));
        _folders.Write("missing-assembly", Manifest("fixture.missing-assembly", "Missing.dll"));
        _folders.Write("garbage", Manifest("fixture.garbage", "Garbage.dll"), ("Garbage.dll", [0x4D, 0x5A, 0x00, 0x13, 0x37, 0xFF, 0x00, 0x01]));
        _folders.Write("bad-json", Text("plugin.json", "{ \"id\": \"fixture.bad-json\",\n  \"version\": 1.0.0 }"));
        _folders.Write("no-id", Text("plugin.json", "{ \"version\": \"1.0.0\" }"));
        _folders.Write("unknown-kind", Manifest("fixture.unknown-kind", "X.dll", kind: "gpu-magic"));
        _folders.Write("disabled", Manifest("fixture.disabled", "X.dll"), Text("plugin.disabled", ""));

        await using ConduitHost host = await StartAsync();

        void Expect(string id, PluginStatus status, string reason)
        {
            PluginRecord record = Single(host, id);
            Assert.Equal(status, record.Status);
            Assert.Contains(reason, record.Reason, StringComparison.Ordinal);
        }
        Expect("no-manifest", PluginStatus.Incompatible, "no plugin.json in folder 'no-manifest'");
        Expect("fixture.missing-assembly", PluginStatus.Malfunctioned, "entry assembly 'Missing.dll' named in plugin.json is not in the folder");
        Expect("fixture.garbage", PluginStatus.Malfunctioned, "'Garbage.dll' is not a .NET assembly");
        Expect("bad-json", PluginStatus.Incompatible, "bad-json/plugin.json: not valid JSON at line 2");
        Expect("no-id", PluginStatus.Incompatible, "no-id/plugin.json: required key 'id' is missing or empty.");
        Expect("fixture.unknown-kind", PluginStatus.Incompatible, "unknown kind 'gpu-magic'");
        Expect("fixture.disabled", PluginStatus.Disabled, "disabled by the user");
        Assert.Equal(PluginStatus.Loaded, Single(host, "fixture.good").Status);
        Assert.True(Probe(host, "fixture.good").IsAvailable);
    }

    [Fact]
    public async Task Built_in_plugins_load_from_the_build_output()
    {
        var options = new ConduitHostOptions();
        options.Plugins.Roots.Add(RepoPaths.Plugins);

        await using ConduitHost host = ConduitHost.Start(options);

        foreach (string id in new[] { "cpu", "cuda", "console" })
        {
            PluginRecord record = Assert.Single(host.Plugins.Records, r => r.Id == id);
            Assert.True(record.Status == PluginStatus.Loaded, $"{id}: {record.Status} {record.Reason}");
        }
        var accelerators = host.Plugins.ResolveAll<IAccelerator>(host.Services).ToDictionary(a => a.Name);
        Assert.True(accelerators["cpu"].Probe().IsAvailable);
        AcceleratorReport cuda = accelerators["cuda"].Probe();
        Assert.True(cuda.IsAvailable || !string.IsNullOrWhiteSpace(cuda.Reason), "an unavailable CUDA must say why");
    }
}
