using System.Diagnostics;
using System.Text.Json;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly PluginFolderBuilder _folders;

    public CommandLineTests()
    {
        _folders = new PluginFolderBuilder(_temp.Combine("plugins"));
        _folders.Copy(RepoPaths.TestPlugin("fixture.good"));
        _folders.Copy(RepoPaths.TestPlugin("fixture.constructor-throws"));
        _folders.Copy(Path.Combine(RepoPaths.Plugins, "cpu"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Plugins_list_json_gives_every_plugin_with_status_and_reason()
    {
        var result = await CliRunner.RunAsync("plugins", "list", "--plugins", _folders.Root, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var rows = json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal(["cpu", "fixture.constructor-throws", "fixture.good"], rows.Keys.Order());
        Assert.Equal("loaded", rows["cpu"].GetProperty("status").GetString());
        Assert.Equal("accelerator", rows["cpu"].GetProperty("kind").GetString());
        Assert.Equal("malfunctioned", rows["fixture.constructor-throws"].GetProperty("status").GetString());
        Assert.Contains("fixture constructor failure", rows["fixture.constructor-throws"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(rows["fixture.good"].GetProperty("loadMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Plugins_list_table_shows_status_and_reason_in_columns()
    {
        var result = await CliRunner.RunAsync("plugins", "list", "--plugins", _folders.Root);

        Assert.Equal(0, result.ExitCode);
        string line = Assert.Single(result.Output.Split('\n'), l => l.Contains("fixture.constructor-throws", StringComparison.Ordinal));
        Assert.Contains("Malfunctioned", line, StringComparison.Ordinal);
        Assert.Contains("its constructor threw InvalidOperationException", line, StringComparison.Ordinal);
        Assert.Contains("2 of 3 plugins loaded.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plugins_inspect_shows_manifest_assemblies_services_and_subscriptions()
    {
        var result = await CliRunner.RunAsync("plugins", "inspect", "fixture.good", "--plugins", _folders.Root, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("fixture.good", root.GetProperty("plugin").GetProperty("id").GetString());
        Assert.Equal("Fixture.Good.dll", root.GetProperty("entryAssembly").GetString());
        Assert.Contains(root.GetProperty("assemblies").EnumerateArray(), a => a.GetProperty("name").GetString() == "Fixture.Good" && a.GetProperty("loaded").GetBoolean());
        Assert.Contains(root.GetProperty("services").EnumerateArray(), s => s.GetProperty("service").GetString() == "IAccelerator");
        var subscription = Assert.Single(root.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal("RunStarted", subscription.GetProperty("message").GetString());
        Assert.Equal("RunRecorder", subscription.GetProperty("handler").GetString());
        Assert.Equal("synchronous", subscription.GetProperty("mode").GetString());
        Assert.Equal(0, subscription.GetProperty("delivered").GetInt64());
    }

    [Fact]
    public async Task Inspecting_an_unknown_plugin_fails_with_one_line_naming_the_known_ones()
    {
        var result = await CliRunner.RunAsync("plugins", "inspect", "nope", "--plugins", _folders.Root);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("conduit: error: no plugin with id 'nope'; known: cpu, fixture.constructor-throws, fixture.good", result.Error.Trim());
    }

    [Fact]
    public async Task Disable_then_enable_round_trips_through_the_marker_file()
    {
        var disabled = await CliRunner.RunAsync("plugins", "disable", "fixture.good", "--plugins", _folders.Root);
        Assert.Equal(0, disabled.ExitCode);
        var listed = await CliRunner.RunAsync("plugins", "list", "--plugins", _folders.Root, "--json");
        Assert.Contains("\"disabled\"", listed.Output, StringComparison.Ordinal);

        var enabled = await CliRunner.RunAsync("plugins", "enable", "fixture.good", "--plugins", _folders.Root);
        Assert.Equal(0, enabled.ExitCode);
        listed = await CliRunner.RunAsync("plugins", "list", "--plugins", _folders.Root, "--json");
        Assert.DoesNotContain("\"disabled\"", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_json_reports_the_machine_accelerators_and_problems()
    {
        var result = await CliRunner.RunAsync("doctor", "--plugins", _folders.Root, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("cores").GetInt32());
        Assert.True(root.GetProperty("memoryBytes").GetInt64() > 0);
        Assert.Contains(".NET", root.GetProperty("runtime").GetString(), StringComparison.Ordinal);
        var cpu = Assert.Single(root.GetProperty("accelerators").EnumerateArray(), a => a.GetProperty("name").GetString() == "cpu");
        Assert.True(cpu.GetProperty("isAvailable").GetBoolean());
        Assert.Contains(root.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("plugin fixture.constructor-throws is Malfunctioned", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plugins", "list", "--no-such-option")]
    [InlineData("plugins", "frobnicate")]
    public async Task Bad_arguments_exit_2_with_one_line(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("conduit: error: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_plugin_folder_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("plugins", "list", "--plugins", _temp.Combine("nowhere"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("plugins", "list", "--help")]
    [InlineData("plugins", "inspect", "--help")]
    [InlineData("doctor", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_executable_lists_plugins_as_a_process()
    {
        var (code, output, error) = await RunProcessAsync("plugins", "list", "--plugins", _folders.Root, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_says_so_in_one_line()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (code, output, error) = await RunProcessAsync("serve", "--urls", $"http://127.0.0.1:{port}",
            "--plugins", Directory.CreateDirectory(_temp.Combine("none")).FullName, "--store", _temp.Combine("s", "conduit.db"));

        Assert.Equal(1, code);
        Assert.Equal([$"conduit: error: --urls: Failed to bind to address http://127.0.0.1:{port}: address already in use; choose another port or stop what listens there"],
            (output + error).Trim().Split('\n'));
    }

    // The built executable as a user starts it, everything it writes captured.
    private static async Task<(int Code, string Output, string Error)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "conduit.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }
}
