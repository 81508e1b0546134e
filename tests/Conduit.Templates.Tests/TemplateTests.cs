using System.Globalization;
using System.Text.Json;
using Conduit.Host;
using Conduit.Host.Cli;
using Conduit.Host.Jobs;
using Conduit.Host.Training;

namespace Conduit.Templates.Tests;

/// <summary>
/// The plugin templates as a third party uses them: the Abstractions packed into a local feed, each kind instantiated
/// outside the repository, built against the package (not the project), and the four plugins taking part in one job:
/// its data from the data source, its model from the model plugin, its metrics in the logger's file, its end from
/// the callback.
/// </summary>
public sealed class TemplateTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("conduit-templates").FullName;

    // A version no cache has seen, so the package restored is the one packed here; removed from the cache afterwards.
    private readonly string _version = $"1.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";

    public void Dispose()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string folder in (string[])[_root, Path.Combine(packages, "conduit.abstractions", _version)])
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // Plugin assemblies stay mapped while this process runs; the OS cleans temp.
            }
        }
    }

    internal static string RepoRoot { get; } = FindRoot();

    [Fact]
    public async Task Every_template_builds_against_the_package_and_takes_part_in_a_job()
    {
        string version = _version;
        string feed = Path.Combine(_root, "feed"), hive = Path.Combine(_root, "hive");
        await Dotnet.RunAsync(RepoRoot, "pack", "src/Abstractions/Conduit.Abstractions.csproj", "-c", "Release", "-o", feed, $"-p:PackageVersion={version}");
        await File.WriteAllTextAsync(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        await Dotnet.RunAsync(_root, "new", "install", Path.Combine(RepoRoot, "templates", "content", "conduit-plugin"), "--debug:custom-hive", hive);

        string plugins = Path.Combine(_root, "plugins");
        foreach (string kind in (string[])["logger", "datasource", "callback", "model"])
        {
            string name = "Acme" + char.ToUpperInvariant(kind[0]) + kind[1..];
            await Dotnet.RunAsync(_root, "new", "conduit-plugin", "--kind", kind, "-n", name, "-o", Path.Combine(_root, name), "--abstractions", version,
                "--torchsharp", Path.Combine(RepoRoot, "artifacts", "plugins", "torchsharp"), "--debug:custom-hive", hive);
            string project = Path.Combine(_root, name, name, name + ".csproj");
            Assert.Contains($"Include=\"Conduit.Abstractions\" Version=\"$(ConduitAbstractionsVersion)\"", await File.ReadAllTextAsync(project), StringComparison.Ordinal);
            await Dotnet.RunAsync(_root, "build", project, "-c", "Release");
            CopyFolder(Path.Combine(_root, name, "plugins", name.ToLowerInvariant()), Path.Combine(plugins, name.ToLowerInvariant()));
        }
        // The generated tests run too (the logger's: they write and read its file).
        string tests = await Dotnet.RunAsync(_root, "test", Path.Combine(_root, "AcmeLogger", "AcmeLogger.Tests"));
        Assert.Contains("Passed!", tests, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(plugins, "Conduit.Abstractions.dll", SearchOption.AllDirectories), _ => true);
        Assert.Equal(["torchsharp"], JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(plugins, "acmemodel", "plugin.json"))).RootElement
            .GetProperty("requires").EnumerateArray().Select(e => e.GetString()));

        string job = Path.Combine(_root, "job.json");
        await File.WriteAllTextAsync(job, """
            {
              "name": "templates",
              "data": { "source": "acmedatasource", "rows": 600, "features": 8, "batch_size": 32, "split": { "validation": 0.1, "test": 0.2 } },
              "model": { "type": "acmemodel", "width": 16 },
              "optimizer": { "type": "adam", "lr": 0.01 },
              "trainer": { "max_epochs": 10, "default_root_dir": "runs", "num_threads": 1 },
              "loggers": ["acmelogger"],
              "plugins": { "acmecallback": { "stop_after_epochs": 2 } }
            }
            """);
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await ConduitCli.RunAsync(["run", job, "--plugins", Path.Combine(RepoRoot, "artifacts", "plugins"), "--plugins", plugins, "--json"],
            new CliConsole(output, error, interactive: false));
        Assert.True(code == 0, error.ToString());
        JsonElement report = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal("stopped", report.GetProperty("status").GetString());
        Assert.Equal("acmecallback stopped the run after 2 epochs (acmecallback)", report.GetProperty("reason").GetString());
        Assert.Equal(2, report.GetProperty("epochs").GetInt32());
        Assert.InRange(report.GetProperty("metrics").GetProperty("test_acc").GetDouble(), 0.9, 1.0);
        string[] logged = await File.ReadAllLinesAsync(Path.Combine(_root, "runs", "templates", "version_0", "acmelogger.jsonl"));
        Assert.Contains(logged, l => l.Contains("\"event\":\"run_started\"", StringComparison.Ordinal));
        Assert.Equal(2, logged.Count(l => l.Contains("\"val_acc\"", StringComparison.Ordinal)));
        Assert.Contains("\"status\":\"Stopped\"", logged[^1], StringComparison.Ordinal);

        await Two_runs_at_once_in_one_process_each_have_their_own_plugin_state(await File.ReadAllTextAsync(job), plugins);
    }

    // A run is a scope: the generated logger and callback (and the built-in loggers) are created per run, so two runs
    // at once in one host keep apart their files, their settings (one stops after 2 epochs, one after 3) and their state.
    private async Task Two_runs_at_once_in_one_process_each_have_their_own_plugin_state(string template, string plugins)
    {
        var options = new ConduitHostOptions();
        options.Plugins.Roots.Add(Path.Combine(RepoRoot, "artifacts", "plugins"));
        options.Plugins.Roots.Add(plugins);
        options.Plugins.Disabled.Add("console");
        await using ConduitHost host = ConduitHost.Start(options);
        var runner = new JobRunner(host);
        var runs = new List<(PreparedRun Prepared, int StopAfter)>();
        foreach (int stopAfter in (int[])[2, 3])
        {
            string path = Path.Combine(_root, $"twin{stopAfter}.json");
            await File.WriteAllTextAsync(path, template
                .Replace("\"templates\"", $"\"twin{stopAfter}\"", StringComparison.Ordinal)
                .Replace("[\"acmelogger\"]", "[\"acmelogger\", \"csv\"]", StringComparison.Ordinal)
                .Replace("\"stop_after_epochs\": 2", $"\"stop_after_epochs\": {stopAfter}", StringComparison.Ordinal));
            runs.Add((runner.Prepare(JobLoader.Load(path)), stopAfter));
        }
        RunOutcome[] outcomes = await Task.WhenAll(runs.Select(r => runner.RunAsync(r.Prepared)));
        foreach (var ((prepared, stopAfter), outcome) in runs.Zip(outcomes))
        {
            prepared.Dispose();
            Assert.Equal($"acmecallback stopped the run after {stopAfter} epochs (acmecallback)", outcome.Reason);
            string folder = Path.Combine(_root, "runs", $"twin{stopAfter}", "version_0");
            string[] lines = await File.ReadAllLinesAsync(Path.Combine(folder, "acmelogger.jsonl"));
            Assert.Single(lines, l => l.Contains("run_started", StringComparison.Ordinal) && l.Contains(outcome.RunId, StringComparison.Ordinal));
            Assert.Equal(stopAfter, lines.Count(l => l.Contains("\"val_acc\"", StringComparison.Ordinal)));
            string[] csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
            int valAcc = Array.IndexOf(csv[0].Split(','), "val_acc");
            Assert.Equal(stopAfter, csv.Skip(1).Count(row => row.Split(',')[valAcc].Length > 0));
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

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
