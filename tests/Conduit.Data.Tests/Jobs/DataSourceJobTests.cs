using System.Text.Json;
using Conduit.Data.Tests.Idx;
using Conduit.Data.Tests.Parquet;
using Conduit.Data.Tests.Support;
using Conduit.Host.Cli;

namespace Conduit.Data.Tests.Jobs;

/// <summary>
/// The real command line trains on each data source, through the real plugin loader and the TorchSharp plugin (in
/// one class, so these runs never overlap: libtorch's state is process-wide).
/// </summary>
public sealed class DataSourceJobTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_digits_job_reaches_the_same_accuracy_from_the_csv_and_from_a_parquet_copy()
    {
        string parquet = await ParquetFiles.WriteDigitsAsync(Path.Combine(_temp.Path, "digits.parquet"), rowGroupSize: 400);

        JsonElement csv = await RunAsync("digits.job.json");
        JsonElement copy = await RunAsync("digits.job.json", "data.source=parquet", $"data.path={parquet}");

        double accuracy = TestAccuracy(csv);
        Assert.True(accuracy >= 0.975, $"csv: {accuracy:P2}");
        Assert.Equal(accuracy, TestAccuracy(copy));
        Assert.Equal(csv.GetProperty("steps").GetInt64(), copy.GetProperty("steps").GetInt64());
    }

    [Fact]
    public async Task A_cnn_trains_on_an_mnist_layout_idx_pair()
    {
        (string images, string labels) = IdxFiles.WriteDigitsAsIdx(_temp.Path, gzip: true);

        JsonElement run = await RunAsync("digits-cnn.job.json", "data.source=idx", "data.label=", $"data.path={images}", $"data.labels={labels}", "trainer.max_epochs=15");

        Assert.True(TestAccuracy(run) >= 0.97, $"idx cnn: {TestAccuracy(run):P2}");
    }

    [Fact]
    public async Task Idx_labels_are_read_relative_to_the_job_and_a_separate_test_file_takes_its_own_labels()
    {
        (string images, string labels) = IdxFiles.WriteDigitsAsIdx(_temp.Path, gzip: false);
        string job = Path.Combine(_temp.Path, "idx.job.json");
        File.WriteAllText(job, $$"""
            { "name": "idx", "data": { "source": "idx", "path": "{{Path.GetFileName(images)}}", "labels": "{{Path.GetFileName(labels)}}", "scale": 16,
                                       "test_path": "{{Path.GetFileName(images)}}", "test_labels": "{{Path.GetFileName(labels)}}", "split": { "validation": 0.1 } },
              "model": { "type": "linear" }, "optimizer": { "type": "adam", "lr": 0.01 }, "trainer": { "max_epochs": 5, "seed": 1 } }
            """);

        string[] args = ["run", job, "--plugins", Path.Combine(RepoRoot, "artifacts", "plugins"), "--json", "--set", $"trainer.default_root_dir={_temp.Path}"];
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await ConduitCli.RunAsync(args, new CliConsole(output, error, interactive: false));

        Assert.True(code == 0, error.ToString());
        Assert.True(TestAccuracy(JsonDocument.Parse(output.ToString()).RootElement) > 0.9);
    }

    [Fact]
    public async Task Streamed_digits_and_generated_data_train()
    {
        JsonElement streamed = await RunAsync("digits.job.json", "data.streaming=true", "data.shuffle_buffer=500");
        JsonElement synthetic = await RunAsync("synthetic.job.json", "data.rows=20000", "data.split.test=0.1");

        Assert.True(TestAccuracy(streamed) >= 0.95, $"streamed digits: {TestAccuracy(streamed):P2}");
        Assert.True(TestAccuracy(synthetic) >= 0.9, $"synthetic: {TestAccuracy(synthetic):P2}");
        Assert.InRange(streamed.GetProperty("dataWaitFraction").GetDouble(), 0, 1);
    }

    private async Task<JsonElement> RunAsync(string job, params string[] overrides)
    {
        string[] args = ["run", Path.Combine(RepoRoot, "samples", job), "--plugins", Path.Combine(RepoRoot, "artifacts", "plugins"), "--json",
            "--set", $"trainer.default_root_dir={_temp.Path}", .. overrides.SelectMany(o => new[] { "--set", o })];
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await ConduitCli.RunAsync(args, new CliConsole(output, error, interactive: false));
        Assert.True(code == 0, $"conduit {string.Join(' ', args)} exited {code}: {error}");
        return JsonDocument.Parse(output.ToString()).RootElement.Clone();
    }

    private static double TestAccuracy(JsonElement run) => run.GetProperty("metrics").GetProperty("test_acc").GetDouble();

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
        throw new InvalidOperationException("Host.sln not found above the test assembly.");
    }
}
