using Google.Protobuf;
using Onnx;

namespace Conduit.Frameworks.TorchSharp.Export;

/// <summary>
/// Appends nodes and initializers to an ONNX graph under unique names, so the exporter reads as the forward pass it
/// translates: each call takes tensor names and returns the name of its output.
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    /// <summary>The graph being written.</summary>
    public GraphProto Graph { get; } = new();

    /// <summary>Adds a float constant (weights, statistics) and returns its name.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params ReadOnlySpan<long> dimensions)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        foreach (long d in dimensions)
        {
            tensor.Dims.Add(d);
        }
        // raw_data is little-endian by the ONNX spec, as .NET's floats are on every platform it runs on here.
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a one-element float constant.</summary>
    public string Scalar(string name, float value) => Initializer(name, [value]);

    /// <summary>Adds a node with one output and returns the output's name (<paramref name="output"/> when given).</summary>
    public string Node(string opType, IEnumerable<string> inputs, string? output = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(opType) };
        node.Input.AddRange(inputs);
        node.Output.Add(output ?? Unique($"{opType}_out"));
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>Declares a float tensor input or output with a dynamic <c>batch</c> axis first.</summary>
    public static ValueInfoProto BatchTensor(string name, TensorProto.Types.DataType type, params ReadOnlySpan<long> exampleDimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (long d in exampleDimensions)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, params ReadOnlySpan<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        foreach (long v in values)
        {
            attribute.Ints.Add(v);
        }
        return attribute;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private string Unique(string name)
    {
        int n = _counters.GetValueOrDefault(name);
        _counters[name] = n + 1;
        return n == 0 ? name : $"{name}_{n}";
    }
}
