using Conduit.Host.Plugins;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;

namespace Conduit.Host.Tests.Plugins;

/// <summary>The sample model plugin (samples/plugins/ResidualMlp), its requirement on torchsharp, and plugins that use the host's SQLite.</summary>
[Collection(TorchCollection.Name)]
public sealed class ModelPluginTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_residual_mlp_plugin_trains_the_digits_job()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path).Replace("digits.job.json", "residual.job.json", StringComparison.Ordinal);
        await File.WriteAllTextAsync(job, (await File.ReadAllTextAsync(Path.Combine(_temp.Path, "digits.job.json")))
            .Replace("\"model\": { \"type\": \"mlp\", \"hidden\": [32], \"dropout\": 0.2 }", "\"model\": { \"type\": \"residual_mlp\", \"width\": 64, \"blocks\": 2 }", StringComparison.Ordinal));
        TrainingHarness.Result result = await TrainingHarness.RunAsync(job, ["trainer.max_epochs=8"]);
        Assert.InRange(result.Outcome.Metrics["test_acc"], 0.93, 1.0);
        Assert.Equal(8, result.Epochs.Count);
    }

    [Fact]
    public async Task A_model_plugin_whose_requirement_is_missing_is_incompatible_with_the_reason()
    {
        var folders = new PluginFolderBuilder(_temp.Combine("plugins"));
        folders.Copy(Path.Combine(RepoPaths.Plugins, "residual-mlp"));
        folders.Copy(Path.Combine(RepoPaths.Plugins, "cpu"));
        var options = new ConduitHostOptions();
        options.Plugins.Roots.Add(folders.Root);
        await using ConduitHost host = ConduitHost.Start(options);
        PluginRecord model = Assert.Single(host.Plugins.Records, r => r.Id == "residual-mlp");
        Assert.Equal(PluginStatus.Incompatible, model.Status);
        Assert.Equal("requires plugin 'torchsharp', which is not loaded (not found in the plugin folders)", model.Reason);
        Assert.Equal(PluginStatus.Loaded, Assert.Single(host.Plugins.Records, r => r.Id == "cpu").Status);
    }

    [Fact]
    public async Task The_model_plugin_shares_the_torchsharp_plugins_types_and_the_sqlite_logger_the_hosts_sqlite()
    {
        var options = new ConduitHostOptions();
        options.Plugins.Roots.Add(RepoPaths.Plugins);
        await using ConduitHost host = ConduitHost.Start(options);
        PluginRecord model = Assert.Single(host.Plugins.Records, r => r.Id == "residual-mlp");
        PluginRecord torch = Assert.Single(host.Plugins.Records, r => r.Id == "torchsharp");
        Assert.Equal(PluginStatus.Loaded, model.Status);
        Assert.Contains("residual_mlp", Assert.Single(host.Plugins.ResolveAll<Conduit.Frameworks.ITrainingFramework>(host.Services), f => f.Name == "torchsharp").ModelTypes);
        Assert.DoesNotContain(model.LoadContext!.Assemblies, a => a.GetName().Name is "TorchSharp" or "Conduit.Frameworks.TorchSharp");
        Assert.Contains(torch.LoadContext!.Assemblies, a => a.GetName().Name == "TorchSharp");

        PluginRecord sqlite = Assert.Single(host.Plugins.Records, r => r.Id == "sqlite");
        Assert.DoesNotContain(sqlite.LoadContext!.Assemblies, a => a.GetName().Name!.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || a.GetName().Name!.StartsWith("SQLitePCL", StringComparison.Ordinal));
    }
}
