using Google.Protobuf;
using Onnx;

namespace Conduit.Host.Tests.Support;

/// <summary>
/// Tiny ONNX models written by the tests themselves, shaped like what <c>torch.onnx.export</c> gives for a linear
/// classifier (no Python, no Conduit metadata): input <c>[N, features]</c>, <c>MatMul</c> by the weights, <c>Add</c> the
/// bias, then each output either those scores as they are (<c>Identity</c>) or their <c>Softmax</c>.
/// </summary>
internal static class OnnxFixtures
{
    /// <summary>One output of the fixture: its name, and whether it is the softmax of the scores.</summary>
    public sealed record Output(string Name, bool Softmax);

    /// <summary>Writes the linear model <c>x · weights + bias</c> (<paramref name="weights"/> is features × classes).</summary>
    public static void WriteLinear(string path, float[][] weights, float[] bias, IReadOnlyList<Output> outputs, string input = "input")
    {
        int features = weights.Length, classes = bias.Length;
        var graph = new GraphProto { Name = "linear_classifier" };
        graph.Input.Add(Value(input, features));
        graph.Initializer.Add(Tensor("weight", [features, classes], [.. weights.SelectMany(row => row)]));
        graph.Initializer.Add(Tensor("bias", [classes], bias));
        graph.Node.Add(Node("MatMul", [input, "weight"], "product"));
        graph.Node.Add(Node("Add", ["product", "bias"], "scores"));
        foreach (Output output in outputs)
        {
            graph.Node.Add(Node(output.Softmax ? "Softmax" : "Identity", ["scores"], output.Name));
            graph.Output.Add(Value(output.Name, classes));
        }
        var model = new ModelProto { IrVersion = 8, ProducerName = "pytorch", ProducerVersion = "2.4.0", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = op + "_" + output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    // float32 [N, width], N a dynamic axis as torch.onnx.export names it with dynamic_axes.
    private static ValueInfoProto Value(string name, int width) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto
                {
                    Dim = { new TensorShapeProto.Types.Dimension { DimParam = "N" }, new TensorShapeProto.Types.Dimension { DimValue = width } },
                },
            },
        },
    };
}
