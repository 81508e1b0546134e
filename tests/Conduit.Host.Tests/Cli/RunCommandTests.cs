using System.Text.Json;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;

namespace Conduit.Host.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Task<CliRunner.Result> Run(params string[] args) =>
        CliRunner.RunAsync(["run", TrainingHarness.WriteDigitsJob(_temp.Path), "--plugins", RepoPaths.Plugins, .. args]);

    [Theory]
    [InlineData("model.type=resnet", "model.type: 'resnet' is not allowed; expected one of")]
    [InlineData("optimizer.lr=-0.1", "optimizer.lr: '-0.1' is not allowed; expected a number greater than 0")]
    [InlineData("data.path=missing.csv", "data.path: ")]
    [InlineData("data.label=species", "label column 'species' does not exist")]
    [InlineData("trainer.accelerator=cuda", "trainer.accelerator: 'cuda' is not available")]
    [InlineData("data.source=parquet-nope", "data.source: 'parquet-nope' is not installed; available: csv")]
    [InlineData("data.source=parquet-nope", "; install it with 'conduit plugins install parquet-nope' (package Conduit.Plugins.parquet-nope;")]
    [InlineData("callbacks.early_stopping.monitor=val_los", "callbacks.early_stopping.monitor: 'val_los' is not a metric this run logs")]
    [InlineData("data.batchsize=16", "data.batchsize: unknown key; did you mean 'batch_size'?")]
    [InlineData("data.lable=label", "data.lable: unknown key; did you mean 'label'?")]
    [InlineData("data.split.seeds=3", "data.split.seeds: unknown key; did you mean 'seed'?")]
    [InlineData("model.hiden=64", "model.hiden: unknown key; did you mean 'hidden'?")]
    [InlineData("optimizer.momentum=0.9", "optimizer.momentum: unknown key;")]
    [InlineData("optimizer.scheduler.gama=0.5", "optimizer.scheduler.gama: unknown key; expected one of type")]
    [InlineData("callbacks.early_stopping.patiense=2", "callbacks.early_stopping.patiense: unknown key; did you mean 'patience'?")]
    [InlineData("export.fromat=onnx", "export.fromat: unknown key; did you mean 'format'?")]
    public async Task Bad_jobs_exit_2_with_one_line_before_training(string assignment, string expected)
    {
        var result = await Run("--set", assignment);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("conduit: error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("runs")), "nothing may be trained or written for a bad job");
    }

    [Fact]
    public async Task Cuda_request_lists_what_is_available()
    {
        var result = await Run("--set", "trainer.accelerator=cuda");

        Assert.Contains("available: cpu", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_prints_the_final_metrics_only()
    {
        var result = await Run("--set", "trainer.max_epochs=2", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal(2, root.GetProperty("epochs").GetInt32());
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        Assert.InRange(root.GetProperty("metrics").GetProperty("test_acc").GetDouble(), 0.8, 1.0);
        Assert.True(File.Exists(root.GetProperty("checkpoint").GetString()));
    }

    [Fact]
    public async Task Test_stage_on_the_last_checkpoint_reproduces_the_fit_test_metrics()
    {
        var fit = await Run("--set", "trainer.max_epochs=2", "--json");
        var test = await Run("--set", "trainer.max_epochs=2", "--stage", "test", "--resume", "last", "--json");

        Assert.True(test.ExitCode == 0, test.Error);
        using var fitJson = JsonDocument.Parse(fit.Output);
        using var testJson = JsonDocument.Parse(test.Output);
        Assert.Equal(fitJson.RootElement.GetProperty("runId").GetString(), testJson.RootElement.GetProperty("runId").GetString());
        Assert.Equal(
            fitJson.RootElement.GetProperty("metrics").GetProperty("test_acc").GetDouble(),
            testJson.RootElement.GetProperty("metrics").GetProperty("test_acc").GetDouble());
        Assert.False(testJson.RootElement.GetProperty("metrics").TryGetProperty("train_loss_epoch", out _));
    }

    [Fact]
    public async Task Evaluation_stages_need_trained_weights()
    {
        var result = await Run("--stage", "validate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--stage validate evaluates trained weights; add --resume", result.Error, StringComparison.Ordinal);
    }
}
