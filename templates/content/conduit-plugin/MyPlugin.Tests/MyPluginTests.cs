using System.Text.Json;

namespace MyPlugin.Tests;

/// <summary>The plugin's own tests; the plugin folder the build laid out is what conduit loads.</summary>
public sealed class MyPluginTests
{
    private static string PluginFolder => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "plugins", "PLUGIN_ID_VALUE");

    [Fact]
    public void The_build_lays_out_the_plugin_folder_with_its_manifest()
    {
        JsonElement manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(PluginFolder, "plugin.json"))).RootElement;
        Assert.Equal("PLUGIN_ID_VALUE", manifest.GetProperty("id").GetString());
        Assert.Equal("PLUGIN_KIND_VALUE", manifest.GetProperty("kind").GetString());
        Assert.True(File.Exists(Path.Combine(PluginFolder, manifest.GetProperty("entryAssembly").GetString()!)));
        Assert.False(File.Exists(Path.Combine(PluginFolder, "Conduit.Abstractions.dll")), "the contract comes from the host");
    }
#if (kind == "logger")

    [Fact]
    public async Task The_logger_writes_a_line_per_message()
    {
        string folder = Directory.CreateTempSubdirectory().FullName;
        var logger = new MyPluginLogger(new Conduit.Training.RunContext
        {
            RunId = "run-1",
            JobName = "job",
            RootDirectory = folder,
            Settings = new Conduit.Configuration.SettingsReader(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()),
            LoggerDirectory = _ => folder,
        });
        await logger.RunStartedAsync(new Conduit.Messages.RunStarted { RunId = "run-1", Name = "job", Stage = "fit", StartedAt = DateTimeOffset.UtcNow, Hyperparameters = new Dictionary<string, string>(), RootDirectory = folder }, default);
        await logger.LogMetricsAsync(new Conduit.Messages.MetricsLogged { RunId = "run-1", Step = 1, Epoch = 0, Metrics = new Dictionary<string, double> { ["loss"] = 0.5 } }, default);
        await logger.RunEndedAsync(new Conduit.Messages.RunEnded { RunId = "run-1", Status = Conduit.Messages.RunStatus.Completed, Metrics = new Dictionary<string, double>(), Duration = TimeSpan.Zero, Error = null }, default);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "PLUGIN_ID_VALUE.jsonl")).Length);
    }
#elif (kind == "datasource")

    [Fact]
    public void The_source_opens_the_rows_it_is_asked_for()
    {
        var settings = new Conduit.Configuration.SettingsReader(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), "data");
        Conduit.Data.IDataset data = new MyPluginDataSource().Open(settings);
        Assert.Equal(1000, data.Count);
    }
#endif
}
