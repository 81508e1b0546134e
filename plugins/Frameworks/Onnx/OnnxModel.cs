using System.Globalization;
using System.Text.Json;
using Conduit.Data;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Conduit.Frameworks.Onnx;

/// <summary>
/// An ONNX model in a cached ONNX Runtime session. Input and output tensors are bound once per batch size to buffers
/// this model owns, so a run allocates nothing in ONNX Runtime; a batch is copied in, and the primary output copied out
/// into memory the caller owns.
/// </summary>
internal sealed class OnnxModel : IInferenceModel
{
    // A server's dynamic batches come in many sizes: keep the bindings of a few, not one per size ever seen.
    private const int MaxBindings = 8;

    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _exampleShape;
    private readonly long _fixedBatch;
    private readonly int _exampleSize;
    private readonly int _outputWidth;
    private readonly string _path;
    private readonly Dictionary<int, Binding> _bindings = [];
    private bool _disposed;

    private OnnxModel(OnnxModelFile file, InferenceSession session, OnnxSessionSettings settings, string device)
    {
        _session = session;
        _path = file.Path;
        // Conduit feeds one tensor: the input named, or the only one; the output named, or the first (a Conduit export's head).
        ValueInfoProto input = Choose(file, file.Inputs, settings.Input, "input")
            ?? throw new NotSupportedException($"{file.Path}: the model has {file.Inputs.Count} inputs ({List(file.Inputs)}); name the one that takes the features with --input NAME (or \"input\" in {System.IO.Path.GetFileName(file.Path)}.json)");
        TensorDescription inputDescription = OnnxModelFile.Tensor(input);
        if (inputDescription.ElementType != "float32" || inputDescription.Dimensions.Count < 2)
        {
            throw new NotSupportedException($"{file.Path}: the input is {inputDescription}; Conduit feeds float32 features of shape [batch, ...].");
        }
        long[] dims = [.. inputDescription.Dimensions.Select(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : -1)];
        _fixedBatch = dims[0];
        _exampleShape = dims[1..];
        if (_exampleShape.Any(d => d <= 0))
        {
            throw new NotSupportedException($"{file.Path}: the input is {inputDescription}; only the first (batch) axis may be dynamic.");
        }
        _exampleSize = checked((int)_exampleShape.Aggregate(1L, (p, d) => p * d));
        _inputNames = [input.Name];
        ValueInfoProto output = Choose(file, file.Proto.Graph.Output, settings.Output, "output") ?? file.Proto.Graph.Output[0];
        _outputNames = [output.Name];
        TensorDescription outputDescription = OnnxModelFile.Tensor(output);
        // A [batch, width] float output with a known width is bound in advance; anything else is read as ONNX Runtime returns it.
        _outputWidth = outputDescription.ElementType == "float32" && outputDescription.Dimensions.Count == 2
            && int.TryParse(outputDescription.Dimensions[1], NumberStyles.None, CultureInfo.InvariantCulture, out int width) ? width : -1;
        InputShape = new TensorShape([.. _exampleShape.Select(d => (int)d)]);
        Description = file.Describe(device);
        ClassNames = ReadClassNames(file);
    }

    /// <inheritdoc/>
    public TensorShape InputShape { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public ModelDescription Description { get; }

    /// <summary>Creates the session of <paramref name="file"/>.</summary>
    /// <exception cref="InvalidDataException">ONNX Runtime refuses the model; the message names the file and its reason.</exception>
    public static OnnxModel Load(OnnxModelFile file, OnnxSessionSettings settings, ILogger logger)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = settings.InterOpThreads,
            GraphOptimizationLevel = settings.OptimizationLevel,
            ExecutionMode = settings.Mode,
        };
        string device = ExecutionProviders.Apply(options, settings, logger);
        InferenceSession session;
        try
        {
            session = new InferenceSession(file.Bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            // ONNX Runtime quotes the file's own names, line breaks included (a fuzz finding): keep the message one line.
            string reason = e.Message.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            throw new InvalidDataException($"{file.Path}: ONNX Runtime cannot load the model: {reason}", e);
        }
        try
        {
            return new OnnxModel(file, session, settings, device);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public TensorBuffer<float> Predict(ITensorBuffer features)
    {
        ArgumentNullException.ThrowIfNull(features);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (features is not TensorBuffer<float> values)
        {
            throw new ArgumentException($"The batch's features are {features.ElementType.Name}; the model '{Path.GetFileName(_path)}' takes float32.", nameof(features));
        }
        int count = features.Shape.Rank == 0 ? 0 : features.Shape[0];
        if (count == 0 || values.Memory.Length != (long)count * _exampleSize)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The batch's features have shape {features.Shape} ({(count == 0 ? 0 : values.Memory.Length / count)} values per example); the model '{Path.GetFileName(_path)}' takes [N, {string.Join(", ", _exampleShape)}] ({_exampleSize} values per example)."),
                nameof(features));
        }
        if (_fixedBatch > 0 && count != _fixedBatch)
        {
            throw new ArgumentException($"The model '{Path.GetFileName(_path)}' takes batches of exactly {_fixedBatch} examples; this one has {count}.", nameof(features));
        }
        if (_outputWidth < 0)
        {
            return RunUnbound(values, count);
        }
        Binding binding = Bind(count);
        values.Memory.Span.CopyTo(binding.Input);
        _session.Run(_run, _inputNames, binding.InputValues, _outputNames, binding.OutputValues);
        return new TensorBuffer<float>(binding.Output.AsSpan(0, count * _outputWidth).ToArray(), new TensorShape(count, _outputWidth));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (Binding binding in _bindings.Values)
        {
            binding.Dispose();
        }
        _run.Dispose();
        _session.Dispose();
    }

    private Binding Bind(int count)
    {
        if (!_bindings.TryGetValue(count, out Binding? binding))
        {
            if (_bindings.Count >= MaxBindings)
            {
                foreach (Binding old in _bindings.Values)
                {
                    old.Dispose();
                }
                _bindings.Clear();
            }
            binding = new Binding(count, _exampleShape, _outputWidth);
            _bindings[count] = binding;
        }
        return binding;
    }

    private TensorBuffer<float> RunUnbound(TensorBuffer<float> values, int count)
    {
        float[] input = values.Memory.ToArray();
        using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(input, [count, .. _exampleShape]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_run, _inputNames, [inputValue], _outputNames);
        OrtValue output = outputs[0];
        long[] shape = output.GetTensorTypeAndShape().Shape;
        if (output.GetTensorTypeAndShape().ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float)
        {
            throw new NotSupportedException($"{_path}: the output '{_outputNames[0]}' is {output.GetTensorTypeAndShape().ElementDataType}; Conduit reads float32 outputs.");
        }
        float[] result = output.GetTensorDataAsSpan<float>().ToArray();
        int width = count == 0 ? 0 : result.Length / count;
        return new TensorBuffer<float>(result, new TensorShape(count, width));
    }

    // The value named (refused, listing the model's, when there is none of that name), the only one, or null when several.
    private static ValueInfoProto? Choose(OnnxModelFile file, IReadOnlyList<ValueInfoProto> values, string? name, string what)
    {
        if (name is null)
        {
            return values.Count == 1 ? values[0] : null;
        }
        return values.FirstOrDefault(v => v.Name == name)
            ?? throw new InvalidDataException($"{file.Path}: the model has no {what} '{name}'; its {what}s: {List(values)}");
    }

    private static string List(IEnumerable<ValueInfoProto> values) => string.Join(", ", values.Select(v => v.Name));

    // Written by Conduit's exporters (README, Inference); other models have no class names.
    private const string ClassNamesKey = "conduit.class_names";

    private static IReadOnlyList<string> ReadClassNames(OnnxModelFile file)
    {
        if (!file.Metadata.TryGetValue(ClassNamesKey, out string? json))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file.Path}: the metadata '{ClassNamesKey}' is not a JSON array of strings: {e.Message}", e);
        }
    }

    /// <summary>Input and output buffers of one batch size, pinned for ONNX Runtime by their OrtValues.</summary>
    private sealed class Binding : IDisposable
    {
        public Binding(int count, long[] exampleShape, int outputWidth)
        {
            Input = new float[count * exampleShape.Aggregate(1L, (p, d) => p * d)];
            Output = new float[count * outputWidth];
            InputValues = [OrtValue.CreateTensorValueFromMemory(Input, [count, .. exampleShape])];
            OutputValues = [OrtValue.CreateTensorValueFromMemory(Output, [count, outputWidth])];
        }

        public float[] Input { get; }

        public float[] Output { get; }

        public OrtValue[] InputValues { get; }

        public OrtValue[] OutputValues { get; }

        public void Dispose()
        {
            InputValues[0].Dispose();
            OutputValues[0].Dispose();
        }
    }
}
