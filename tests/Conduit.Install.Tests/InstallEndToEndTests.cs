using System.Diagnostics;
using System.Text.Json;
using Conduit.Templates.Tests;
using Xunit.Abstractions;

namespace Conduit.Install.Tests;

/// <summary>
/// Conduit as a user installs it, outside the repository: build/pack.sh into a folder feed; the tool installed into a
/// tool path from a fresh NuGet cache; plugins installed from the feed (their dependencies from the user's NuGet
/// sources); the digits sample trained from a temporary folder; then update, remove, an incompatible and a tampered
/// package; and a plugin made from the template, packed, installed from its feed and used by a job.
/// </summary>
public sealed class InstallEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private const string Version = "0.1.0";
    private readonly string _root = Directory.CreateTempSubdirectory("conduit-install").FullName;

    private string Feed => Path.Combine(_root, "feed");

    private string Plugins => Path.Combine(_root, "plugins");

    private string Conduit => Path.Combine(_root, "tools", "conduit");

    // A NuGet cache of its own: nothing restored before (a stale package of the same version) is used.
    private Dictionary<string, string> Environment => new() { ["NUGET_PACKAGES"] = Path.Combine(_root, "nuget") };

    private static readonly Dictionary<string, string> Inherited = [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task The_tool_and_plugins_install_from_a_feed_and_train_the_sample()
    {
        await Dotnet.RunProgramAsync("bash", RepoRoot, Inherited, Path.Combine(RepoRoot, "build", "pack.sh"), Feed);
        await File.WriteAllTextAsync(Path.Combine(_root, "tool.config"), $"<configuration><packageSources><clear /><add key=\"feed\" value=\"{Feed}\" /></packageSources></configuration>");

        var clock = Stopwatch.StartNew();
        await Dotnet.RunProgramAsync("dotnet", _root, Environment, "tool", "install", "Conduit.Cli", "--tool-path", Path.Combine(_root, "tools"), "--configfile", "tool.config", "--version", Version);
        string installed = await Conduit_("plugins", "install", "torchsharp", "csv", "sqlite", "tensorboard", "onnx", "--source", Feed, "--plugins", Plugins);
        Assert.Contains($"installed torchsharp {Version} (Conduit.Plugins.torchsharp from {Feed}", installed, StringComparison.Ordinal);
        JsonElement run = await TrainDigitsAsync();
        log.WriteLine($"dotnet tool install to a trained model (fresh NuGet cache): {clock.Elapsed.TotalSeconds:F1} s; tool package {new FileInfo(Path.Combine(Feed, $"Conduit.Cli.{Version}.nupkg")).Length / 1e6:F1} MB");
        Assert.InRange(run.GetProperty("metrics").GetProperty("test_acc").GetDouble(), 0.975, 1.0);
        Assert.True(run.GetProperty("exportDifference").GetDouble() < 1e-4);

        string found = await Conduit_("plugins", "search", "--source", Feed, "--json");
        Assert.Contains("\"plugin\": \"torchsharp\"", found, StringComparison.Ordinal);

        // A newer version on the feed: update takes it, and it is what loads.
        FeedPackages.Derive(Feed, "Conduit.Plugins.csv", Version, "0.2.0");
        Assert.Contains($"updated csv {Version} -> 0.2.0", await Conduit_("plugins", "update", "--source", Feed, "--plugins", Plugins), StringComparison.Ordinal);
        Assert.Contains("\"version\": \"0.2.0\"", await File.ReadAllTextAsync(Path.Combine(Plugins, "csv", "plugin.json")), StringComparison.Ordinal);
        Assert.Contains("removed csv", await Conduit_("plugins", "remove", "csv", "--plugins", Plugins), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Plugins, "csv")));

        // A package built against another contract, and a package changed under a version already installed.
        FeedPackages.Derive(Feed, "Conduit.Plugins.tensorboard", Version, "0.3.0", m => m.Replace("\"abstractions\": \"1.0.0\"", "\"abstractions\": \"2.0.0\"", StringComparison.Ordinal));
        await RefusedAsync(["plugins", "install", "tensorboard@0.3.0", "--source", Feed, "--plugins", Plugins], "(plugin 'tensorboard') is incompatible: built against contract 2.0.0");
        FeedPackages.Derive(Feed, "Conduit.Plugins.sqlite", Version, Version, extraFile: "payload.dll");
        await RefusedAsync(["plugins", "install", $"sqlite@{Version}", "--source", Feed, "--plugins", Plugins], "is not the package installed before under that version");
        Assert.False(File.Exists(Path.Combine(Plugins, "sqlite", "payload.dll")));
        Assert.Contains($"\"version\": \"{Version}\"", await File.ReadAllTextAsync(Path.Combine(Plugins, "tensorboard", "plugin.json")), StringComparison.Ordinal);

        await A_plugin_from_the_template_is_packed_installed_and_used();
    }

    private async Task A_plugin_from_the_template_is_packed_installed_and_used()
    {
        string hive = Path.Combine(_root, "hive"), pluginFeed = Path.Combine(_root, "acme-feed");
        await File.WriteAllTextAsync(Path.Combine(_root, "nuget.config"), $"<configuration><packageSources><add key=\"conduit\" value=\"{Feed}\" /></packageSources></configuration>");
        await Dotnet.RunAsync(_root, "new", "install", Path.Combine(RepoRoot, "templates", "content", "conduit-plugin"), "--debug:custom-hive", hive);
        await Dotnet.RunAsync(_root, "new", "conduit-plugin", "--kind", "logger", "-n", "AcmeLogger", "-o", Path.Combine(_root, "AcmeLogger"), "--debug:custom-hive", hive);
        await Dotnet.RunProgramAsync("dotnet", _root, Environment, "pack", Path.Combine(_root, "AcmeLogger", "AcmeLogger", "AcmeLogger.csproj"), "-c", "Release", "-o", pluginFeed);

        Assert.Contains("installed acmelogger 1.0.0 (AcmeLogger from", await Conduit_("plugins", "install", "AcmeLogger", "--source", pluginFeed, "--plugins", Plugins), StringComparison.Ordinal);
        await TrainDigitsAsync(("\"loggers\": [\"csv\", \"tensorboard\", \"sqlite\"]", "\"loggers\": [\"acmelogger\"]"), ("\"max_epochs\": 40", "\"max_epochs\": 2"));
        string logged = Assert.Single(Directory.GetFiles(_root, "acmelogger.jsonl", SearchOption.AllDirectories));
        Assert.Contains("run_started", await File.ReadAllTextAsync(logged), StringComparison.Ordinal);
    }

    // The sample job and its data in a folder of their own, run by the installed tool with the installed plugins.
    private async Task<JsonElement> TrainDigitsAsync(params (string From, string To)[] edits)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_root, "run-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        File.Copy(Path.Combine(RepoRoot, "samples", "data", "digits.csv"), Path.Combine(folder, "data", "digits.csv"));
        string job = edits.Aggregate(await File.ReadAllTextAsync(Path.Combine(RepoRoot, "samples", "digits.job.json")), (text, edit) => text.Replace(edit.From, edit.To, StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(folder, "digits.job.json"), job);
        string output = await Dotnet.RunProgramAsync(Conduit, folder, Inherited, "run", "digits.job.json", "--plugins", Plugins, "--json");
        // Standard error (plugin warnings) comes in the same text: the report is the one JSON object in it.
        return JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..(output.LastIndexOf('}') + 1)]).RootElement;
    }

    private Task<string> Conduit_(params string[] args) => Dotnet.RunProgramAsync(Conduit, _root, Inherited, args);

    private async Task RefusedAsync(string[] args, string reason)
    {
        (int code, string output) = await Dotnet.TryRunProgramAsync(Conduit, _root, Inherited, args);
        Assert.True(code == 1, output);
        Assert.Contains(reason, output, StringComparison.Ordinal);
    }

    private static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Host.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Host.sln not found above the test assembly");
    }
}
