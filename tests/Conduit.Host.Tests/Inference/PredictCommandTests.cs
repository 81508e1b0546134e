using System.Text.Json;
using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;

namespace Conduit.Host.Tests.Inference;

/// <summary>
/// The digits job trained with <c>export: onnx</c> through the real command line; then <c>conduit predict</c>,
/// <c>models inspect</c> and <c>export</c> on the ONNX file and on the checkpoint alike.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PredictCommandTests : IClassFixture<PredictCommandTests.TrainedDigits>
{
    private readonly TrainedDigits _trained;

    public PredictCommandTests(TrainedDigits trained) => _trained = trained;

    /// <summary>One trained digits run, shared by the tests: its exported model and best checkpoint.</summary>
    public sealed class TrainedDigits : IAsyncLifetime
    {
        private readonly TempDirectory _temp = new();

        public string Root => _temp.Path;

        public string Onnx { get; private set; } = "";

        public string Checkpoint { get; private set; } = "";

        public JsonElement Run { get; private set; }

        public string Job { get; private set; } = "";

        public async Task InitializeAsync()
        {
            string job = Job = TrainingHarness.WriteDigitsJob(_temp.Path);
            CliRunner.Result result = await CliRunner.RunAsync("run", job, "--set", "export=onnx", "--set", "callbacks.model_checkpoint.monitor=val_acc",
                "--set", "callbacks.model_checkpoint.mode=max", "--set", "trainer.max_epochs=8", "--plugins", RepoPaths.Plugins, "--json");
            Assert.True(result.ExitCode == 0, result.Error + result.Output);
            Run = JsonDocument.Parse(result.Output).RootElement;
            Onnx = Run.GetProperty("exportedModel").GetString()!;
            Checkpoint = Directory.GetFiles(Path.Combine(_temp.Path, "runs", "digits-test", "checkpoints"), "epoch=*.ckpt").Single();
        }

        public Task DisposeAsync()
        {
            _temp.Dispose();
            return Task.CompletedTask;
        }
    }

    private static string Digits => Path.Combine(RepoPaths.Root, "samples", "data", "digits.csv");

    [Fact]
    public void The_job_exports_the_best_checkpoint_and_checks_it()
    {
        Assert.Equal(Path.Combine(_trained.Root, "runs", "digits-test", "model.onnx"), _trained.Onnx);
        Assert.True(File.Exists(_trained.Onnx));
        Assert.InRange(_trained.Run.GetProperty("exportDifference").GetDouble(), 0, 1e-5);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_trained.Onnx)!, "*.pending*"));
    }

    [Fact]
    public async Task Predict_gives_the_same_accuracy_and_classes_from_the_onnx_file_as_from_the_checkpoint()
    {
        string fromOnnx = Path.Combine(_trained.Root, "onnx.csv"), fromCheckpoint = Path.Combine(_trained.Root, "ckpt.csv");
        JsonElement onnx = await Predict("--model", _trained.Onnx, "--data", Digits, "--out", fromOnnx, "--batch-size", "64");
        JsonElement checkpoint = await Predict("--model", _trained.Checkpoint, "--data", Digits, "--out", fromCheckpoint, "--batch-size", "100");

        Assert.Equal(1797, onnx.GetProperty("rows").GetInt64());
        Assert.Equal(checkpoint.GetProperty("accuracy").GetDouble(), onnx.GetProperty("accuracy").GetDouble());
        Assert.InRange(onnx.GetProperty("accuracy").GetDouble(), 0.9, 1.0);
        string[] a = File.ReadAllLines(fromOnnx), b = File.ReadAllLines(fromCheckpoint);
        Assert.Equal("row,label,predicted,probability,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", a[0]);
        Assert.Equal(a.Length, b.Length);
        for (int i = 1; i < a.Length; i++)
        {
            string[] x = a[i].Split(','), y = b[i].Split(',');
            Assert.Equal(x[..3], y[..3]);
            for (int k = 3; k < x.Length; k++)
            {
                Assert.InRange(Math.Abs(double.Parse(x[k], System.Globalization.CultureInfo.InvariantCulture) - double.Parse(y[k], System.Globalization.CultureInfo.InvariantCulture)), 0, 1e-5);
            }
        }
    }

    [Fact]
    public async Task Inspect_describes_the_onnx_file_and_the_checkpoint()
    {
        CliRunner.Result onnx = await CliRunner.RunAsync("models", "inspect", _trained.Onnx, "--plugins", RepoPaths.Plugins, "--json");
        Assert.True(onnx.ExitCode == 0, onnx.Error);
        JsonElement o = JsonDocument.Parse(onnx.Output).RootElement;
        Assert.Equal("onnx", o.GetProperty("format").GetString());
        Assert.Equal(17, o.GetProperty("opset").GetInt32());
        Assert.Equal(64 * 32 + 32 + 32 * 10 + 10 + 64 * 2, o.GetProperty("parameters").GetInt64());
        Assert.Equal("input: float32[batch, 64]", Describe(o.GetProperty("inputs")[0]));
        Assert.Equal("probabilities: float32[batch, 10]", Describe(o.GetProperty("outputs")[0]));
        Assert.Equal("standardize", o.GetProperty("metadata").GetProperty("conduit.preprocessing").GetString());
        Assert.Equal(10, o.GetProperty("classNames").GetArrayLength());

        CliRunner.Result checkpoint = await CliRunner.RunAsync("models", "inspect", _trained.Checkpoint, "--plugins", RepoPaths.Plugins, "--json");
        Assert.True(checkpoint.ExitCode == 0, checkpoint.Error);
        JsonElement c = JsonDocument.Parse(checkpoint.Output).RootElement;
        Assert.Equal("conduit checkpoint (torchsharp)", c.GetProperty("format").GetString());
        Assert.Equal(64 * 32 + 32 + 32 * 10 + 10, c.GetProperty("parameters").GetInt64());
        Assert.Equal("probabilities: float32[batch, 10]", Describe(c.GetProperty("outputs")[0]));
    }

    [Fact]
    public async Task Export_command_writes_a_checked_model_and_refuses_what_it_cannot()
    {
        string path = Path.Combine(_trained.Root, "again", "digits.onnx");
        CliRunner.Result ok = await CliRunner.RunAsync("export", _trained.Checkpoint, "--format", "onnx", "--out", path, "--plugins", RepoPaths.Plugins, "--json");
        Assert.True(ok.ExitCode == 0, ok.Error);
        JsonElement report = JsonDocument.Parse(ok.Output).RootElement;
        Assert.InRange(report.GetProperty("check").GetProperty("maxRelativeDifference").GetDouble(), 0, 1e-5);
        Assert.Equal(64, report.GetProperty("check").GetProperty("rows").GetInt32());

        CliRunner.Result format = await CliRunner.RunAsync("export", _trained.Checkpoint, "--format", "tflite", "--out", path + ".tflite", "--plugins", RepoPaths.Plugins);
        Assert.Equal(1, format.ExitCode);
        Assert.Contains("--format: the torchsharp framework does not export 'tflite'; it exports onnx, pytorch, safetensors", format.Error, StringComparison.Ordinal);
        CliRunner.Result notCheckpoint = await CliRunner.RunAsync("export", _trained.Onnx, "--out", path + ".2.onnx", "--plugins", RepoPaths.Plugins);
        Assert.Equal(1, notCheckpoint.ExitCode);
        Assert.Contains("not a Conduit checkpoint", notCheckpoint.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PyTorch_weights_go_out_checked_and_a_job_that_starts_from_them_validates_as_the_checkpoint()
    {
        var files = new List<string>();
        foreach (var (format, name) in (ValueTuple<string, string>[])[("pytorch", "digits.pt"), ("safetensors", "digits.safetensors")])
        {
            string path = Path.Combine(_trained.Root, "weights", name);
            CliRunner.Result export = await CliRunner.RunAsync("export", _trained.Checkpoint, "--format", format, "--out", path, "--plugins", RepoPaths.Plugins, "--json");
            Assert.True(export.ExitCode == 0, export.Error);
            // Loaded back into the checkpoint's model (model.init_from), they answer exactly as the checkpoint does.
            Assert.Equal(0, JsonDocument.Parse(export.Output).RootElement.GetProperty("check").GetProperty("maxRelativeDifference").GetDouble());
            files.Add(path);
            // Beside it, what the state dict does not say: the architecture, the outputs, the classes, the normalization.
            JsonElement sidecar = JsonDocument.Parse(await File.ReadAllTextAsync(path + ".json")).RootElement;
            Assert.Equal(("mlp", 10, 10, 64), (sidecar.GetProperty("model").GetProperty("type").GetString(), sidecar.GetProperty("outputs").GetInt32(),
                sidecar.GetProperty("class_names").GetArrayLength(), sidecar.GetProperty("preprocessing").GetProperty("center").GetArrayLength()));
        }

        string expected = Path.GetFileNameWithoutExtension(_trained.Checkpoint).Split("val_acc=")[1];
        foreach (string weights in files)
        {
            CliRunner.Result validate = await CliRunner.RunAsync("run", _trained.Job, "--stage", "validate", "--set", $"model.init_from={weights}",
                "--set", "loggers=[]", "--set", "export=none", "--plugins", RepoPaths.Plugins, "--json");
            Assert.True(validate.ExitCode == 0, validate.Error + validate.Output);
            double accuracy = JsonDocument.Parse(validate.Output).RootElement.GetProperty("metrics").GetProperty("val_acc").GetDouble();
            Assert.Equal(expected, accuracy.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Bad_model_files_and_mismatched_data_fail_with_one_clear_line()
    {
        string text = Path.Combine(_trained.Root, "notes.onnx");
        await File.WriteAllTextAsync(text, "this is not a model\n");
        CliRunner.Result inspect = await CliRunner.RunAsync("models", "inspect", text, "--plugins", RepoPaths.Plugins);
        Assert.Equal(1, inspect.ExitCode);
        Assert.StartsWith($"conduit: error: {text}: not an ONNX model", inspect.Error, StringComparison.Ordinal);

        string cut = Path.Combine(_trained.Root, "cut.ckpt");
        byte[] whole = await File.ReadAllBytesAsync(_trained.Checkpoint);
        await File.WriteAllBytesAsync(cut, whole[..(whole.Length - 100)]);
        CliRunner.Result truncated = await CliRunner.RunAsync("predict", "--model", cut, "--data", Digits, "--plugins", RepoPaths.Plugins);
        Assert.Equal(1, truncated.ExitCode);
        Assert.Contains("truncated", truncated.Error, StringComparison.Ordinal);

        // Without its label column the file has 65 columns of features: one more than the model takes.
        CliRunner.Result width = await CliRunner.RunAsync("predict", "--model", _trained.Onnx, "--data", Digits, "--option", "label=", "--plugins", RepoPaths.Plugins);
        Assert.Equal(1, width.ExitCode);
        Assert.Contains("the data has 65 features per example (shape [65]); the model takes 64 (shape [64])", width.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_too_big_for_the_memory_limit_is_refused_before_it_is_built_with_the_estimate()
    {
        string job = TrainingHarness.WriteDigitsJob(_trained.Root);
        CliRunner.Result result = await CliRunner.RunAsync("run", job, "--set", "model.hidden=[80000,80000]", "--max-job-memory-mb", "4096", "--plugins", RepoPaths.Plugins);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model: the model needs about 97,", result.Error, StringComparison.Ordinal);
        Assert.Contains("the limit is 4,096 MB (--max-job-memory-mb)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_asking_for_an_unknown_export_format_is_refused_before_training()
    {
        string job = TrainingHarness.WriteDigitsJob(_trained.Root);
        CliRunner.Result result = await CliRunner.RunAsync("run", job, "--set", "export=tflite", "--plugins", RepoPaths.Plugins);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("export: 'tflite' is not allowed; expected one of onnx, pytorch, safetensors (what the torchsharp framework exports)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_export_ends_the_command_with_the_reason_and_keeps_the_trained_run()
    {
        string root = Path.Combine(_trained.Root, "bad-inference");
        Directory.CreateDirectory(root);
        string job = TrainingHarness.WriteDigitsJob(root);
        CliRunner.Result result = await CliRunner.RunAsync("run", job, "--set", "export=onnx", "--set", "inference.optimisation_level=all", "--set", "trainer.max_epochs=1", "--plugins", RepoPaths.Plugins);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("completed, but export: inference.optimisation_level: unknown key; did you mean 'optimization_level'?", result.Error, StringComparison.Ordinal);
        string run = Path.Combine(root, "runs", "digits-test");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "checkpoints"), "*.ckpt"));
        Assert.False(File.Exists(Path.Combine(run, "model.onnx")));
        Assert.Empty(Directory.GetFiles(run, "*.pending*"));
    }

    [Fact]
    public async Task Export_none_turns_a_jobs_export_off()
    {
        string root = Path.Combine(_trained.Root, "no-export");
        Directory.CreateDirectory(root);
        string job = TrainingHarness.WriteDigitsJob(root);
        CliRunner.Result result = await CliRunner.RunAsync("run", job, "--set", "export=onnx", "--set", "export=none", "--set", "trainer.max_epochs=1", "--plugins", RepoPaths.Plugins, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        JsonElement report = JsonDocument.Parse(result.Output).RootElement;
        Assert.True(!report.TryGetProperty("exportedModel", out JsonElement model) || model.ValueKind == JsonValueKind.Null, report.ToString());
        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.False(File.Exists(Path.Combine(root, "runs", "digits-test", "model.onnx")));
    }

    private static async Task<JsonElement> Predict(params string[] args)
    {
        CliRunner.Result result = await CliRunner.RunAsync(["predict", .. args, "--plugins", RepoPaths.Plugins, "--json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement;
    }

    private static string Describe(JsonElement tensor) =>
        $"{tensor.GetProperty("name").GetString()}: {tensor.GetProperty("elementType").GetString()}[{string.Join(", ", tensor.GetProperty("dimensions").EnumerateArray().Select(d => d.GetString()))}]";
}
