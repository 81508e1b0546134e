using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace Conduit.Frameworks.Onnx;

/// <summary>
/// An <c>.onnx</c> file read and checked before ONNX Runtime sees it: a file that is not an ONNX model is refused with
/// the reason, and what <c>conduit models inspect</c> shows (opset, producer, metadata, parameter count) comes from here,
/// since ONNX Runtime does not report all of it.
/// </summary>
internal sealed class OnnxModelFile
{
    private OnnxModelFile(string path, byte[] bytes, ModelProto proto)
    {
        Path = path;
        Bytes = bytes;
        Proto = proto;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The file's bytes (handed to ONNX Runtime, so the file is read once).</summary>
    public byte[] Bytes { get; }

    /// <summary>The parsed model.</summary>
    public ModelProto Proto { get; }

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model; the message names the file and why.</exception>
    public static OnnxModelFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such model file.", path);
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            throw new InvalidDataException($"{path}: not an ONNX model (the file is empty).");
        }
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not an ONNX model (it does not parse as an ONNX protobuf: {e.Message})", e);
        }
        // Protobuf reads almost any bytes as some message; an ONNX model has a graph, an IR version and an opset.
        string? missing = proto.IrVersion <= 0 ? "no IR version"
            : proto.OpsetImport.Count == 0 ? "no operator set"
            : proto.Graph is null ? "no graph"
            : proto.Graph.Output.Count == 0 ? "a graph without outputs"
            : null;
        if (missing is not null)
        {
            throw new InvalidDataException($"{path}: not an ONNX model ({missing}; the file may be damaged or of another format).");
        }
        return new OnnxModelFile(path, bytes, proto);
    }

    /// <summary>The model's declared inputs (initializers listed as inputs by older exporters left out).</summary>
    public IReadOnlyList<ValueInfoProto> Inputs
    {
        get
        {
            var initializers = Proto.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            return [.. Proto.Graph.Input.Where(i => !initializers.Contains(i.Name))];
        }
    }

    /// <summary>The operator set of ONNX's default domain.</summary>
    public int? Opset => Proto.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx") is { } set ? (int)set.Version : null;

    /// <summary>The number of trained values: every element of every initializer.</summary>
    public long Parameters => Proto.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (p, d) => p * d));

    /// <summary>The model's key/value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>What the file says about itself, for <see cref="ModelDescription"/>.</summary>
    public ModelDescription Describe(string? device) =>
        new("onnx", [.. Inputs.Select(Tensor)], [.. Proto.Graph.Output.Select(Tensor)], Parameters, Metadata)
        {
            Opset = Opset,
            Producer = string.Join(' ', new[] { Proto.ProducerName, Proto.ProducerVersion }.Where(s => s.Length > 0)) is { Length: > 0 } p ? p : null,
            Device = device,
        };

    /// <summary>An input's or output's description: element type and dimensions (sizes, or dynamic axes by name).</summary>
    public static TensorDescription Tensor(ValueInfoProto value)
    {
        TypeProto.Types.Tensor? tensor = value.Type?.TensorType;
        if (tensor is null)
        {
            return new TensorDescription(value.Name, value.Type?.ValueCase.ToString().ToLowerInvariant() ?? "unknown", []);
        }
        IReadOnlyList<string> dimensions = tensor.Shape is null ? []
            : [.. tensor.Shape.Dim.Select(d => d.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => d.DimValue.ToString(CultureInfo.InvariantCulture),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
                _ => "?",
            })];
        return new TensorDescription(value.Name, ElementTypeName(tensor.ElemType), dimensions);
    }

    /// <summary>ONNX's element type numbers by their usual names.</summary>
    public static string ElementTypeName(int type) => (TensorProto.Types.DataType)type switch
    {
        TensorProto.Types.DataType.Float => "float32",
        TensorProto.Types.DataType.Double => "float64",
        TensorProto.Types.DataType.Float16 => "float16",
        TensorProto.Types.DataType.Bfloat16 => "bfloat16",
        TensorProto.Types.DataType.Int8 => "int8",
        TensorProto.Types.DataType.Int16 => "int16",
        TensorProto.Types.DataType.Int32 => "int32",
        TensorProto.Types.DataType.Int64 => "int64",
        TensorProto.Types.DataType.Uint8 => "uint8",
        TensorProto.Types.DataType.Uint16 => "uint16",
        TensorProto.Types.DataType.Uint32 => "uint32",
        TensorProto.Types.DataType.Uint64 => "uint64",
        TensorProto.Types.DataType.Bool => "bool",
        TensorProto.Types.DataType.String => "string",
        _ => $"type {type}",
    };
}
