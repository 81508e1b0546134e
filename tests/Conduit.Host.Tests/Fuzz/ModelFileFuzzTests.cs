using System.Text;
using System.Text.Json;
using Conduit.Frameworks;
using Conduit.Host.Inference;
using Conduit.Host.Plugins;
using Conduit.Host.Tests.Inference;
using Conduit.Host.Tests.Support;
using CsCheck;
using Google.Protobuf;
using Onnx;

namespace Conduit.Host.Tests.Fuzz;

/// <summary>
/// Hostile ONNX models, opened as <c>conduit models inspect</c> opens them (through the onnx plugin), and hostile
/// <c>plugins.lock</c> files: accepted, or refused with an <see cref="InvalidDataException"/> in one line naming the file.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class ModelFileFuzzTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Onnx_models_of_any_bytes_load_or_are_refused_in_one_line()
    {
        string good = _temp.Combine("good.onnx");
        OnnxFixtures.WriteLinear(good, [[1, 0], [0, 1], [1, 1]], [0.5f, -0.5f], [new OnnxFixtures.Output("logits", false), new OnnxFixtures.Output("probabilities", true)]);
        byte[] original = File.ReadAllBytes(good);
        // Damaged bytes, and whole protobufs that lie: wrong dimensions, operators, versions, names.
        Gen<byte[]> files = Gen.OneOf(Damaged(original), Gen.Select(Gen.Int[0, 7], Gen.Long, Gen.String, (field, number, text) => Lying(original, field, number, text)));
        await using ConduitHost host = Hosts.Start();
        files.Sample(bytes =>
        {
            string path = Unique("model.onnx");
            File.WriteAllBytes(path, bytes);
            // A valid model Conduit cannot feed (dynamic axes, several inputs) is refused as not supported, as the CLI reports it.
            Refused<Exception>(() => ModelFiles.Open(host, path, new InferenceOptions()).Dispose(), path, typeof(InvalidDataException), typeof(NotSupportedException));
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time);
    }

    // Found by the fuzzer: a node input named "sc\nres" reached the message through ONNX Runtime's own words.
    [Fact]
    public async Task An_onnx_model_whose_names_hold_a_line_break_is_refused_in_one_line()
    {
        string path = Unique("model.onnx");
        File.WriteAllBytes(path, Convert.FromBase64String("CAgSB3B5dG9yY2gaBTIuNC4wOu0CCjAKBWlucHV0CgZ3ZWlnaHQSB3Byb2R1Y3QaDk1hdE11bF9wcm9kdWN0IgZNYXRNdWwKKAoHcHJvZHVjdAoEYmlhcxIGc2NvcmVzGgpBZGRfc2NvcmVzIgNBZGQKKwoGc2MKcmVzEgZsb2dpdHMaD0lkZW50aXR5X2xvZ2l0cyIISWRlbnRpdHkKNwoGc2NvcmVzEg1wcm9iYWJpbGl0aWVzGhVTb2Z0bWF4X3Byb2JhYmlsaXRpZXMiB1NvZnRtYXgSEWxpbmVhcl9jbGFzc2lmaWVyKigKAgMCEAEiGAAAgD8AAAAAAAAAAAAAgD8AAIA/AACAP0IGd2VpZ2h0KhUKAQIQASIIAAAAPwAAAL9CBGJpYXNaGAoFaW5wdXQSDwoNCAESCQoDEgFOCgIIA2IZCgZsb2dpdHMSDwoNCAESCQoDEgFOCgIIAmIgCg1wcm9iYWJpbGl0aWVzEg8KDQgBEgkKAxIBTgoCCAJCAhAR"));
        await using ConduitHost host = Hosts.Start();

        var refused = Assert.Throws<InvalidDataException>(() => ModelFiles.Open(host, path, new InferenceOptions()).Dispose());

        Assert.Contains("Node input 'sc\\nres' is not a graph input", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void Plugin_locks_of_any_bytes_are_read_or_refused_in_one_line()
    {
        string folder = Directory.CreateDirectory(_temp.Combine("plugin")).FullName;
        File.WriteAllText(Path.Combine(folder, "plugin.json"), "{}");
        Gen<string> text = Gen.OneOf(Gen.String, Gen.Byte.Array[0, 256].Select(b => Encoding.UTF8.GetString(b)), LockLike(), LockLike().Select(Encoding.UTF8.GetBytes).SelectMany(Damaged).Select(b => Encoding.UTF8.GetString(b)));
        text.Sample(content =>
        {
            string path = Unique(PluginLock.FileName);
            File.WriteAllText(path, content);
            // A lock that reads is one the host can check plugins against.
            Refused<InvalidDataException>(() =>
            {
                PluginLock read = PluginLock.Read(path);
                foreach (string id in read.Plugins.Keys)
                {
                    _ = read.Check(id, folder);
                }
            }, path);
        }, iter: FuzzBudget.Iterations, time: FuzzBudget.Time);
    }

    private static Gen<byte[]> Damaged(byte[] original) => Gen.OneOf(
        Gen.Int[0, original.Length - 1].Select(Gen.Byte).Select((at, value) => { byte[] copy = [.. original]; copy[at] ^= (byte)(value | 1); return copy; }),
        Gen.Int[0, original.Length - 1].Select(length => original[..length]),
        Gen.Select(Gen.Int[0, original.Length], Gen.Byte.Array[1, 16], (at, inserted) => (byte[])[.. original[..at], .. inserted, .. original[at..]]),
        Gen.Byte.Array[0, 512]);

    private static byte[] Lying(byte[] original, int field, long number, string text)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(original);
        GraphProto graph = model.Graph;
        switch (field)
        {
            case 0: graph.Initializer[0].Dims[0] = number; break;
            case 1: graph.Initializer[1].FloatData.Clear(); break;
            case 2: graph.Node[(int)((ulong)number % (ulong)graph.Node.Count)].OpType = text; break;
            case 3: model.OpsetImport[0].Version = number; break;
            case 4: model.IrVersion = number; break;
            case 5: graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = number; break;
            case 6: graph.Node[0].Input[1] = text; break;
            default: graph.Output[0].Name = text; break;
        }
        return model.ToByteArray();
    }

    // Locks as 'conduit plugins lock' writes them, with values of every kind in every place.
    private static Gen<string> LockLike()
    {
        Gen<string> value = Gen.OneOf(Gen.Const("null"), Gen.Const("1"), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("\"\""), Gen.Const("\"1.0.0\""),
            Gen.Const("\"" + new string('a', 64) + "\""), Gen.Const("\"abc\""), Gen.String.Select(s => JsonSerializer.Serialize(s)));
        Gen<string> files = Gen.Select(Gen.OneOf(Gen.Const("plugin.json"), Gen.Const("extra.dll"), Gen.String), value, (f, v) => $"{JsonSerializer.Serialize(f)}: {v}")
            .Array[0, 3].Select(members => "{" + string.Join(", ", members) + "}");
        Gen<string> plugin = Gen.OneOf(Gen.Select(value, Gen.OneOf(files, value), (version, f) => $"{{\"version\": {version}, \"files\": {f}}}"), value);
        Gen<string> plugins = Gen.Select(Gen.OneOf(Gen.Const("csv"), Gen.String), plugin, (id, p) => $"{JsonSerializer.Serialize(id)}: {p}")
            .Array[0, 3].Select(members => "{" + string.Join(", ", members) + "}");
        return Gen.OneOf(plugins, value).Select(p => $"{{\"plugins\": {p}}}");
    }

    private string Unique(string name) => _temp.Combine($"{Guid.NewGuid():N}-{name}");

    // Accepted, or refused with the reader's own exception in one line that names the file.
    private static void Refused<TException>(Action read, string file, params Type[] types)
        where TException : Exception
    {
        Type[] allowed = types.Length == 0 ? [typeof(TException)] : types;
        string name = Path.GetFileName(file);
        try
        {
            read();
        }
        catch (TException e) when (allowed.Contains(e.GetType()) && !e.Message.TrimEnd().Contains('\n', StringComparison.Ordinal) && e.Message.Contains(name, StringComparison.Ordinal))
        {
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{name} (base64 {Convert.ToBase64String(File.ReadAllBytes(file))}): {e.GetType().Name}: {e.Message}", e);
        }
    }
}
