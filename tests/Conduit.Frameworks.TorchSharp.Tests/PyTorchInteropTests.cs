using System.Globalization;
using System.Text.Json;
using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>
/// Against real PyTorch: a TorchScript module PyTorch saved is trained here (<c>model.type: torchscript</c>), and the
/// state dicts this plugin writes load into the equivalent <c>torch.nn.Sequential</c> there, giving the same outputs.
/// </summary>
public sealed class PyTorchInteropTests(LoadedPlugin plugin) : TorchSharpTests(plugin), IDisposable
{
    private static readonly InMemoryDataset Digits = SyntheticData.Classification(64, 64, 10);
    private readonly string _folder = Directory.CreateTempSubdirectory("conduit-pytorch").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_torchscript_module_from_pytorch_computes_what_pytorch_did_trains_and_resumes()
    {
        string path = Path.Combine(_folder, "scripted.pt");
        DataBatch batch = Sessions.Batches(Digits, 8, shuffle: false)[0];
        float[] x = ((TensorBuffer<float>)batch.Features).Memory.ToArray();
        string outputs = PyTorch.Run($$"""
            import json, torch
            from torch import nn
            torch.manual_seed(5)
            module = torch.jit.script(nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10)))
            module.save("{{path}}")
            x = torch.tensor({{JsonSerializer.Serialize(x)}}).reshape(8, 64)
            print(json.dumps(module(x).softmax(-1).flatten().tolist()))
            """);
        float[] expected = JsonSerializer.Deserialize<float[]>(outputs)!;

        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(Digits, $$"""{ "type": "torchscript", "path": "{{path}}" }"""));
        float[] before = session.Predict(batch.Features).Memory.ToArray();
        Assert.Equal(expected.Length, before.Length);
        Assert.All(expected.Zip(before), p => Assert.Equal(p.First, p.Second, 5));

        List<double> losses = Sessions.Train(session, Digits, epochs: 5, batchSize: 16);
        Assert.True(losses.TakeLast(4).Average() < losses.Take(4).Average(), string.Join(", ", losses));
        using var state = new MemoryStream();
        session.SaveState(state);
        using ITrainingSession resumed = Framework.CreateTrainingSession(Sessions.Options(Digits, $$"""{ "type": "torchscript", "path": "{{path}}" }"""));
        state.Position = 0;
        resumed.LoadState(state);
        Assert.Equal(session.Predict(batch.Features).Memory.ToArray(), resumed.Predict(batch.Features).Memory.ToArray());

        string missing = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(Sessions.Options(Digits, """{ "type": "torchscript" }"""))).Message;
        Assert.Contains("model.path: is missing; expected the TorchScript file to train", missing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pytorch", "mlp.pt")]
    [InlineData("safetensors", "mlp.safetensors")]
    public void Exported_weights_load_into_the_equivalent_torch_nn_module_with_the_same_outputs(string format, string name)
    {
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(Digits, """{ "type": "mlp", "hidden": [16], "batch_norm": true, "dropout": 0.1 }"""));
        Sessions.Train(session, Digits, epochs: 2, batchSize: 16);
        string path = Path.Combine(_folder, name);
        using (FileStream file = File.Create(path))
        {
            ((IModelExporter)session).Export(new ModelExportRequest(format), file);
        }
        DataBatch batch = Sessions.Batches(Digits, 8, shuffle: false)[0];
        float[] x = ((TensorBuffer<float>)batch.Features).Memory.ToArray();

        // The README's naming, built by hand in PyTorch: fc1, bn1, act1, drop1, fc2.
        string load = format == "pytorch" ? $"torch.load(\"{path}\")" : $"safetensors(\"{path}\")";
        float[] theirs = JsonSerializer.Deserialize<float[]>(PyTorch.Run($$"""
            import json, struct, torch, numpy as np
            from collections import OrderedDict
            from torch import nn
            def safetensors(path):
                data = open(path, "rb").read(); n = struct.unpack("<Q", data[:8])[0]; header = json.loads(data[8:8 + n])
                kinds = {"F32": np.float32, "I64": np.int64}
                return {k: torch.from_numpy(np.frombuffer(data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]], dtype=kinds[v["dtype"]]).reshape(v["shape"]).copy()) for k, v in header.items() if k != "__metadata__"}
            model = nn.Sequential(OrderedDict(fc1=nn.Linear(64, 16), bn1=nn.BatchNorm1d(16), act1=nn.ReLU(), drop1=nn.Dropout(0.1), fc2=nn.Linear(16, 10)))
            model.load_state_dict({{load}})
            model.eval()
            x = torch.tensor({{JsonSerializer.Serialize(x)}}).reshape(8, 64)
            with torch.no_grad():
                print(json.dumps(model(x).softmax(-1).flatten().tolist()))
            """))!;

        float[] ours = session.Predict(batch.Features).Memory.ToArray();
        double largest = theirs.Zip(ours).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(largest < 1e-5, largest.ToString(CultureInfo.InvariantCulture));
    }
}
