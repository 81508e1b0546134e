using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>
/// PyTorch weights out and in: a session's weights as a state dict (<c>torch.save</c>'s zip) and as safetensors, read
/// back here by the formats' specs alone, and loaded into a new session with <c>model.init_from</c>.
/// </summary>
public sealed class StateDictTests(LoadedPlugin plugin) : TorchSharpTests(plugin), IDisposable
{
    private static readonly InMemoryDataset Digits = SyntheticData.Classification(64, 64, 10);
    private readonly string _folder = Directory.CreateTempSubdirectory("conduit-state-dict").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Safetensors_hold_the_weights_under_torch_nn_names_and_compute_what_the_session_computes()
    {
        using ITrainingSession session = Trained("""{ "type": "linear" }""");
        string file = Export(session, "safetensors", "linear.safetensors");

        // By the spec: a little-endian u64 header length, a JSON header (dtype, shape, data_offsets), then the bytes.
        Dictionary<string, (long[] Shape, float[] Values)> tensors = ReadSafetensors(file);
        Assert.Equal(["fc1.bias", "fc1.weight"], tensors.Keys.Order());
        Assert.Equal([10, 64], tensors["fc1.weight"].Shape);
        // nn.Linear computes x W^T + b; the session's probabilities are its softmax.
        DataBatch batch = Sessions.Batches(Digits, 8, shuffle: false)[0];
        float[] x = ((TensorBuffer<float>)batch.Features).Memory.ToArray();
        float[] expected = session.Predict(batch.Features).Memory.ToArray();
        for (int row = 0; row < 8; row++)
        {
            double[] logits = [.. Enumerable.Range(0, 10).Select(c => tensors["fc1.bias"].Values[c]
                + Enumerable.Range(0, 64).Sum(j => (double)tensors["fc1.weight"].Values[c * 64 + j] * x[row * 64 + j]))];
            double total = logits.Sum(l => Math.Exp(l - logits.Max()));
            for (int c = 0; c < 10; c++)
            {
                Assert.Equal(Math.Exp(logits[c] - logits.Max()) / total, expected[row * 10 + c], 5);
            }
        }
    }

    [Fact]
    public void A_pytorch_state_dict_is_torch_saves_zip_with_one_storage_per_tensor_the_safetensors_bytes()
    {
        using ITrainingSession session = Trained("""{ "type": "mlp", "hidden": [16], "batch_norm": true }""");
        string pt = Export(session, "pytorch", "mlp.pt");
        Dictionary<string, (long[] Shape, float[] Values)> tensors = ReadSafetensors(Export(session, "safetensors", "mlp.safetensors"));

        using ZipArchive zip = ZipFile.OpenRead(pt);
        string[] names = [.. zip.Entries.Select(e => e.FullName)];
        Assert.Single(names, n => n.EndsWith("/data.pkl", StringComparison.Ordinal));
        Assert.Single(names, n => n.EndsWith("/version", StringComparison.Ordinal));
        ZipArchiveEntry[] storages = [.. zip.Entries.Where(e => e.FullName.Contains("/data/", StringComparison.Ordinal))];
        // fc1, bn1 (weight, bias, running mean and var, batches tracked), fc2: one storage each.
        Assert.Equal(tensors.Count, storages.Length);
        HashSet<string> floats = [.. tensors.Values.Select(t => Convert.ToBase64String(MemoryMarshalBytes(t.Values)))];
        int matched = storages.Count(s => floats.Contains(Convert.ToBase64String(Bytes(s))));
        Assert.Equal(tensors.Values.Count(t => t.Values.Length > 0 && t.Shape.Length > 0), matched);
    }

    [Theory]
    [InlineData("pytorch", "weights.pt")]
    [InlineData("safetensors", "weights.safetensors")]
    public void A_session_started_from_exported_weights_predicts_what_the_original_does(string format, string name)
    {
        const string Model = """{ "type": "mlp", "hidden": [16, 8], "dropout": 0.1 }""";
        using ITrainingSession original = Trained(Model);
        string file = Export(original, format, name);

        using ITrainingSession loaded = Framework.CreateTrainingSession(Sessions.Options(Digits, Model.Replace("}", $", \"init_from\": \"{file}\" }}", StringComparison.Ordinal), seed: 99));

        DataBatch batch = Sessions.Batches(Digits, 64, shuffle: false)[0];
        Assert.Equal(original.Predict(batch.Features).Memory.ToArray(), loaded.Predict(batch.Features).Memory.ToArray());
    }

    [Fact]
    public void Weights_that_do_not_fit_are_refused_naming_every_missing_unexpected_and_misshaped_tensor()
    {
        using ITrainingSession narrow = Trained("""{ "type": "mlp", "hidden": [8] }""");
        string file = Export(narrow, "safetensors", "narrow.safetensors");

        string wider = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(
            Sessions.Options(Digits, $$"""{ "type": "mlp", "hidden": [16, 4], "init_from": "{{file}}" }"""))).Message;
        Assert.Contains("model.init_from: narrow.safetensors does not fit this model:", wider, StringComparison.Ordinal);
        Assert.Contains("fc1.weight is [8, 64] in the file, [16, 64] in the model", wider, StringComparison.Ordinal);
        Assert.Contains("fc3.weight [10, 4] is missing", wider, StringComparison.Ordinal);
        Assert.Contains("fc2.weight is [10, 8] in the file, [4, 16] in the model", wider, StringComparison.Ordinal);

        string linear = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(
            Sessions.Options(Digits, $$"""{ "type": "linear", "init_from": "{{file}}" }"""))).Message;
        Assert.Contains("fc2.bias [10] is unexpected", linear, StringComparison.Ordinal);

        string missing = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(
            Sessions.Options(Digits, $$"""{ "type": "linear", "init_from": "{{Path.Combine(_folder, "none.pt")}}" }"""))).Message;
        Assert.Contains("model.init_from: '", missing, StringComparison.Ordinal);
        Assert.Contains("none.pt' does not exist; expected a PyTorch state dict (.pt, .pth) or a .safetensors file", missing, StringComparison.Ordinal);

        string garbage = Path.Combine(_folder, "garbage.pt");
        File.WriteAllText(garbage, "not a zip");
        string unreadable = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(
            Sessions.Options(Digits, $$"""{ "type": "linear", "init_from": "{{garbage}}" }"""))).Message;
        Assert.Contains("model.init_from: garbage.pt is not a readable PyTorch state dict (save model.state_dict() with torch.save, not the model)", unreadable, StringComparison.Ordinal);
    }

    private ITrainingSession Trained(string model)
    {
        ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(Digits, model));
        Sessions.Train(session, Digits, epochs: 1, batchSize: 16);
        return session;
    }

    private string Export(ITrainingSession session, string format, string name)
    {
        string path = Path.Combine(_folder, name);
        using (FileStream file = File.Create(path))
        {
            ((IModelExporter)session).Export(new ModelExportRequest(format), file);
        }
        return path;
    }

    private static Dictionary<string, (long[] Shape, float[] Values)> ReadSafetensors(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        var tensors = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        foreach (JsonProperty tensor in header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
        {
            long[] offsets = [.. tensor.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64())];
            long[] shape = [.. tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            byte[] data = bytes[(int)(8 + headerLength + offsets[0])..(int)(8 + headerLength + offsets[1])];
            // Only the float tensors are compared by value; batch norm's step counter is an int64.
            float[] values = tensor.Value.GetProperty("dtype").GetString() == "F32"
                ? [.. Enumerable.Range(0, data.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(i * 4)))]
                : [];
            tensors[tensor.Name] = (shape, values);
        }
        return tensors;
    }

    private static byte[] MemoryMarshalBytes(float[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
