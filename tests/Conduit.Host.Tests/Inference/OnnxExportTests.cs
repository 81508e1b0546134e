using Conduit.Configuration;
using System.Text;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Inference;
using Conduit.Host.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Tests.Inference;

/// <summary>
/// Every built-in architecture, trained a few steps in the torchsharp plugin, exported to ONNX with its
/// preprocessing, and run in the onnx plugin's ONNX Runtime session: the outputs for raw features equal TorchSharp's
/// for the same features normalized as in training.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class OnnxExportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string, int[], string> Architectures => new()
    {
        { "mlp-relu", """{ "type": "mlp", "hidden": [32, 16], "activation": "relu", "dropout": 0.3 }""", [12], "classification" },
        { "mlp-tanh-batchnorm", """{ "type": "mlp", "hidden": [24], "activation": "tanh", "batch_norm": true, "dropout": 0.1 }""", [12], "classification" },
        { "mlp-gelu", """{ "type": "mlp", "hidden": [20], "activation": "gelu" }""", [12], "classification" },
        { "mlp-sigmoid", """{ "type": "mlp", "hidden": [20], "activation": "sigmoid" }""", [12], "classification" },
        { "mlp-leaky-relu", """{ "type": "mlp", "hidden": [20], "activation": "leaky_relu" }""", [12], "classification" },
        { "mlp-elu", """{ "type": "mlp", "hidden": [20], "activation": "elu", "batch_norm": true }""", [12], "classification" },
        { "cnn-batchnorm", """{ "type": "cnn", "channels": [4, 8], "kernel_size": 3, "hidden": [16], "batch_norm": true }""", [1, 8, 8], "classification" },
        { "cnn-even-kernel", """{ "type": "cnn", "channels": [3], "kernel_size": 2, "hidden": [8], "activation": "gelu" }""", [2, 6, 5], "classification" },
        { "linear", """{ "type": "linear" }""", [12], "classification" },
        { "linear-binary", """{ "type": "linear", "loss": "bce" }""", [12], "binary" },
        { "mlp-regression", """{ "type": "mlp", "hidden": [16] }""", [12], "regression" },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public async Task Exported_model_gives_torchsharps_outputs_for_raw_features(string name, string model, int[] shape, string task)
    {
        await using ConduitHost host = Hosts.Start();
        var (schema, raw, scaling) = Data(shape, task);
        using ITrainingSession session = Frameworks.Training(host, "torchsharp").CreateTrainingSession(
            new TrainingSessionOptions { Model = new SettingsReader(Json(model), "model"), Optimizer = new SettingsReader(Json("""{ "type": "adam", "lr": 0.01 }"""), "optimizer"), Schema = schema, Device = "cpu", Seed = 3, Threads = 1 });
        // A few steps, so weights and batch-norm statistics are no longer their initial values.
        for (int step = 0; step < 5; step++)
        {
            session.TrainStep(new DataBatch(Normalized(raw, scaling), Targets(schema, raw.Shape[0], step)), step: true);
        }
        string path = _temp.Combine(name + ".onnx");
        using (var file = File.Create(path))
        {
            ((IModelExporter)session).Export(Request(schema, scaling), file);
        }

        using IInferenceModel onnx = Frameworks.Inference(host, "onnx").LoadModel(path, new InferenceOptions());
        Assert.Equal(schema.FeatureShape, onnx.InputShape);
        Assert.Equal(17, onnx.Description.Opset);
        Assert.Equal("batch", onnx.Description.Inputs[0].Dimensions[0]);
        Assert.Equal(schema.ClassNames, onnx.ClassNames);
        TensorBuffer<float> expected = session.Predict(Normalized(raw, scaling));
        TensorBuffer<float> actual = onnx.Predict(raw);
        OutputComparison check = OutputComparison.Of(expected, actual);
        Assert.True(check.MaxRelativeDifference <= 1e-5, $"{name}: {check}");
        // The batch axis is dynamic: one example, then an odd count, give the same rows.
        TensorBuffer<float> first = onnx.Predict(Rows(raw, 0, 1));
        Assert.Equal(actual.Memory.Span[..first.Memory.Length].ToArray(), first.Memory.ToArray());
        Assert.Equal(7, onnx.Predict(Rows(raw, 3, 7)).Shape[0]);
    }

    [Fact]
    public async Task Wrong_input_width_is_refused_with_expected_and_given()
    {
        await using ConduitHost host = Hosts.Start();
        string path = await ExportSmallModel(host);
        using IInferenceModel onnx = Frameworks.Inference(host, "onnx").LoadModel(path, new InferenceOptions());
        var error = Assert.Throws<ArgumentException>(() => onnx.Predict(new TensorBuffer<float>(new float[2 * 11], new TensorShape(2, 11))));
        Assert.Contains("[2, 11] (11 values per example)", error.Message, StringComparison.Ordinal);
        Assert.Contains("takes [N, 12] (12 values per example)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("protobuf-but-not-onnx")]
    public async Task A_file_that_is_not_an_onnx_model_is_refused_naming_the_file(string kind)
    {
        await using ConduitHost host = Hosts.Start();
        string path = _temp.Combine($"{kind}.onnx");
        switch (kind)
        {
            case "text":
                File.WriteAllText(path, "name,value\na,1\n");
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "truncated":
                byte[] whole = File.ReadAllBytes(await ExportSmallModel(host));
                File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
                break;
            default:
                // A valid protobuf message (field 1, varint 5) that is no ONNX model.
                File.WriteAllBytes(path, [0x08, 0x05]);
                break;
        }
        var error = Assert.Throws<InvalidDataException>(() => Frameworks.Inference(host, "onnx").LoadModel(path, new InferenceOptions()));
        Assert.StartsWith(path + ": not an ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inference_settings_are_checked_and_cuda_falls_back_to_the_cpu()
    {
        await using ConduitHost host = Hosts.Start();
        string path = await ExportSmallModel(host);
        IInferenceFramework onnx = Frameworks.Inference(host, "onnx");
        var error = Assert.Throws<ArgumentException>(() => onnx.LoadModel(path, new InferenceOptions { Settings = Json("""{ "optimisation_level": "all", "execution_mode": "fast" }""") }));
        Assert.Contains("inference.optimisation_level: unknown key; did you mean 'optimization_level'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("inference.execution_mode: 'fast' is not allowed; expected one of sequential, parallel", error.Message, StringComparison.Ordinal);

        using IInferenceModel model = onnx.LoadModel(path, new InferenceOptions("cuda:0") { Settings = Json("""{ "optimization_level": "basic", "threads": 1 }""") });
        Assert.StartsWith("cpu", model.Description.Device, StringComparison.Ordinal);
        Assert.Equal(4, model.Predict(new TensorBuffer<float>(new float[4 * 12], new TensorShape(4, 12))).Shape[0]);
    }

    private async Task<string> ExportSmallModel(ConduitHost host)
    {
        var (schema, raw, scaling) = Data([12], "classification");
        using ITrainingSession session = Frameworks.Training(host, "torchsharp").CreateTrainingSession(
            new TrainingSessionOptions { Model = new SettingsReader(Json("""{ "type": "mlp", "hidden": [8] }"""), "model"), Optimizer = new SettingsReader(Json("{}"), "optimizer"), Schema = schema, Device = "cpu", Seed = 1, Threads = 1 });
        string path = _temp.Combine($"small-{Guid.NewGuid():N}.onnx");
        await using var file = File.Create(path);
        ((IModelExporter)session).Export(Request(schema, scaling), file);
        _ = raw;
        return path;
    }

    // Features far from standard (centered at 5 + i, spread 0.5 + i / 4) so that a missing preprocessing step shows.
    // What the host hands an exporter: the scaling and the metadata keys it writes as they are.
    private static ModelExportRequest Request(DataSchema schema, FeatureScaling scaling) => new("onnx")
    {
        FeatureCenter = scaling.Center,
        FeatureScale = scaling.Scale,
        Metadata = schema.ClassNames.Count == 0 ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["conduit.class_names"] = System.Text.Json.JsonSerializer.Serialize(schema.ClassNames) },
    };

    private static (DataSchema Schema, TensorBuffer<float> Raw, FeatureScaling Scaling) Data(int[] shape, string task)
    {
        var example = new TensorShape(shape);
        int size = (int)example.ElementCount, rows = 33;
        float[] center = [.. Enumerable.Range(0, size).Select(i => 5f + i)];
        float[] scale = [.. Enumerable.Range(0, size).Select(i => 0.5f + i / 4f)];
        var random = new Random(11);
        var values = new float[rows * size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = center[i % size] + scale[i % size] * (float)(random.NextDouble() * 4 - 2);
        }
        IReadOnlyList<string> classes = task switch { "classification" => ["a", "b", "c", "d"], "binary" => ["no", "yes"], _ => [] };
        var schema = new DataSchema(example, [], task == "regression" ? TargetKind.Regression : TargetKind.Classification, classes);
        return (schema, new TensorBuffer<float>(values, example.Prepend(rows)), new FeatureScaling("standardize", center, scale));
    }

    private static TensorBuffer<float> Normalized(TensorBuffer<float> raw, FeatureScaling scaling)
    {
        float[] values = raw.Memory.ToArray();
        int size = scaling.Center.Count;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (values[i] - scaling.Center[i % size]) / scaling.Scale[i % size];
        }
        return new TensorBuffer<float>(values, raw.Shape);
    }

    private static ITensorBuffer Targets(DataSchema schema, int rows, int step) => schema.Target == TargetKind.Regression
        ? new TensorBuffer<float>(Enumerable.Range(0, rows).Select(i => (float)((i + step) % 5)).ToArray(), new TensorShape(rows, 1))
        : new TensorBuffer<long>(Enumerable.Range(0, rows).Select(i => (long)((i + step) % schema.ClassNames.Count)).ToArray(), new TensorShape(rows));

    private static TensorBuffer<float> Rows(TensorBuffer<float> data, int start, int count)
    {
        int size = (int)(data.Memory.Length / data.Shape[0]);
        var shape = new TensorShape([count, .. data.Shape.Dimensions[1..]]);
        return new TensorBuffer<float>(data.Memory.Slice(start * size, count * size).ToArray(), shape);
    }

    private static IConfiguration Json(string json) => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
