using System.Globalization;
using System.Reflection;
using Conduit.Frameworks.TorchSharp.Losses;
using Conduit.Frameworks.TorchSharp.Models;
using Google.Protobuf;
using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Conduit.Frameworks.TorchSharp.Export;

/// <summary>
/// Translates a built model, in its evaluation form, into an ONNX graph of standard operators (opset
/// <see cref="Opset"/>) with a dynamic batch axis: the preprocessing first, then each layer, then the head that
/// <c>Predict</c> applies (softmax probabilities, or values), so the exported model gives what the session's
/// <c>Predict</c> gives for raw features.
/// </summary>
internal static class OnnxModelWriter
{
    /// <summary>The ONNX operator set the graph uses (ONNX 1.12; every maintained runtime reads it).</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>The graph's input: raw features, <c>[batch, ...example shape]</c>.</summary>
    public const string InputName = "input";

    /// <summary>A classifier's primary output: class probabilities, <c>[batch, classes]</c>.</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>A classifier's second output: the index of the most probable class, <c>[batch]</c>.</summary>
    public const string LabelName = "label";

    /// <summary>A regressor's output: the predicted values, <c>[batch, outputs]</c>.</summary>
    public const string PredictionsName = "predictions";

    // Each builder-made layer type and how it becomes ONNX; anything else is refused by name.
    private static readonly string[] Supported = ["Linear", "Conv2d", "BatchNorm1d", "BatchNorm2d", "MaxPool2d", "Flatten", "Dropout", "ReLU", "Tanh", "Sigmoid", "GELU", "LeakyReLU", "ELU"];

    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="destination"/>.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX translation; the message names it and its type.</exception>
    /// <exception cref="ArgumentException">The preprocessing does not fit the model's input.</exception>
    public static void Write(BuiltModel model, ModelSpec spec, ModelExportRequest request, Stream destination)
    {
        ModelProto proto = Build(model, spec, request);
        proto.WriteTo(destination);
    }

    /// <summary>Builds the ONNX model of <paramref name="model"/>.</summary>
    public static ModelProto Build(BuiltModel model, ModelSpec spec, ModelExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(request);
        var writer = new OnnxGraphWriter();
        writer.Graph.Name = "conduit_model";
        long[] shape = [.. spec.InputShape.Select(d => (long)d)];
        writer.Graph.Input.Add(OnnxGraphWriter.BatchTensor(InputName, DataType.Float, shape));

        string x = Preprocess(writer, request, shape, spec.InputSize);
        foreach (BuiltLayer layer in model.Layers)
        {
            x = Layer(writer, layer, x, shape);
            shape = [.. layer.OutputShape];
        }
        Head(writer, spec, x);

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "conduit",
            ProducerVersion = typeof(OnnxModelWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            Domain = "org.conduit",
            DocString = $"Exported by Conduit's torchsharp adapter: {spec.Signature}",
            Graph = writer.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in Metadata(spec, request))
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return proto;
    }

    private static string Preprocess(OnnxGraphWriter writer, ModelExportRequest request, long[] shape, int size)
    {
        if (request.FeatureCenter is null && request.FeatureScale is null)
        {
            return InputName;
        }
        if (request.FeatureCenter?.Count != size || request.FeatureScale?.Count != size)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The preprocessing has {request.FeatureCenter?.Count ?? 0} centers and {request.FeatureScale?.Count ?? 0} scales; the model takes {size} features per example."));
        }
        // Shaped like one example, so they broadcast over the batch axis for images too.
        string center = writer.Initializer("preprocess_center", [.. request.FeatureCenter], shape);
        string scale = writer.Initializer("preprocess_scale", [.. request.FeatureScale], shape);
        // Subtract then divide, as the host's normalizer does: the same rounding, not a multiply by a reciprocal.
        string centered = writer.Node("Sub", [InputName, center]);
        return writer.Node("Div", [centered, scale], "features");
    }

    private static string Layer(OnnxGraphWriter writer, BuiltLayer layer, string x, long[] inputShape)
    {
        string name = layer.Name;
        switch (layer.Module)
        {
            case Linear linear:
            {
                string weight = writer.Initializer($"{name}.weight", Values(linear.weight!), linear.weight!.shape);
                string[] inputs = linear.bias is { } bias ? [x, weight, writer.Initializer($"{name}.bias", Values(bias), bias.shape)] : [x, weight];
                return writer.Node("Gemm", inputs, null, OnnxGraphWriter.Int("transB", 1));
            }
            case Conv2d conv:
            {
                long[] kernel = conv.weight!.shape;
                string weight = writer.Initializer($"{name}.weight", Values(conv.weight!), kernel);
                string[] inputs = conv.bias is { } bias ? [x, weight, writer.Initializer($"{name}.bias", Values(bias), bias.shape)] : [x, weight];
                return writer.Node("Conv", inputs, null,
                    OnnxGraphWriter.Ints("kernel_shape", kernel[2], kernel[3]),
                    OnnxGraphWriter.Ints("pads", ConvolutionPads(layer, inputShape, kernel)));
            }
            case BatchNorm1d or BatchNorm2d:
            {
                var norm = (global::TorchSharp.torch.nn.Module)layer.Module;
                Tensor Buffer(string buffer) => norm.named_buffers().Concat(norm.named_parameters().Select(p => (p.name, (Tensor)p.parameter)))
                    .First(b => b.Item1 == buffer).Item2;
                long[] channels = [inputShape[0]];
                string[] inputs = [x, .. ((string[])["weight", "bias", "running_mean", "running_var"]).Select(b => writer.Initializer($"{name}.{b}", Values(Buffer(b)), channels))];
                // TorchSharp's default epsilon, which the model builder keeps.
                return writer.Node("BatchNormalization", inputs, null, OnnxGraphWriter.Float("epsilon", 1e-5f));
            }
            case MaxPool2d:
            {
                long[] window = PoolWindow(layer, inputShape);
                return writer.Node("MaxPool", [x], null, OnnxGraphWriter.Ints("kernel_shape", window), OnnxGraphWriter.Ints("strides", window));
            }
            case Flatten:
                return writer.Node("Flatten", [x], null, OnnxGraphWriter.Int("axis", 1));
            case Dropout:
                // Evaluation form: dropout passes its input through.
                return x;
            case ReLU:
                return writer.Node("Relu", [x]);
            case Tanh:
                return writer.Node("Tanh", [x]);
            case Sigmoid:
                return writer.Node("Sigmoid", [x]);
            case LeakyReLU:
                // The builder's LeakyReLU keeps TorchSharp's default slope.
                return writer.Node("LeakyRelu", [x], null, OnnxGraphWriter.Float("alpha", 0.01f));
            case ELU:
                return writer.Node("Elu", [x], null, OnnxGraphWriter.Float("alpha", 1f));
            case GELU:
                return Gelu(writer, x);
            default:
                throw new NotSupportedException(
                    $"Layer '{name}' ({layer.Module.GetType().Name}) has no ONNX translation; the exporter translates {string.Join(", ", Supported)}.");
        }
    }

    // Opset 17 has no Gelu operator (it came in 20): the exact form, x * 0.5 * (1 + erf(x / sqrt 2)), from Erf.
    private static string Gelu(OnnxGraphWriter writer, string x)
    {
        string scaled = writer.Node("Div", [x, writer.Scalar("gelu_sqrt2", MathF.Sqrt(2f))]);
        string erf = writer.Node("Erf", [scaled]);
        string plusOne = writer.Node("Add", [erf, writer.Scalar("gelu_one", 1f)]);
        string half = writer.Node("Mul", [x, writer.Scalar("gelu_half", 0.5f)]);
        return writer.Node("Mul", [half, plusOne]);
    }

    // The builder pads convolutions to keep height and width ("same"); PyTorch puts the odd pixel of an even kernel at the end.
    private static long[] ConvolutionPads(BuiltLayer layer, long[] inputShape, long[] kernel)
    {
        long[] output = [.. layer.OutputShape];
        if (output[1] == inputShape[1] && output[2] == inputShape[2])
        {
            long top = (kernel[2] - 1) / 2, left = (kernel[3] - 1) / 2;
            return [top, left, kernel[2] - 1 - top, kernel[3] - 1 - left];
        }
        if (output[1] == inputShape[1] - kernel[2] + 1 && output[2] == inputShape[2] - kernel[3] + 1)
        {
            return [0, 0, 0, 0];
        }
        throw new NotSupportedException($"Layer '{layer.Name}' (Conv2d) maps [{string.Join(", ", inputShape)}] to [{string.Join(", ", output)}]; the exporter translates stride-1 convolutions with 'same' or no padding.");
    }

    private static long[] PoolWindow(BuiltLayer layer, long[] inputShape)
    {
        long[] output = [.. layer.OutputShape];
        if (output[1] == inputShape[1] / 2 && output[2] == inputShape[2] / 2)
        {
            return [2, 2];
        }
        throw new NotSupportedException($"Layer '{layer.Name}' (MaxPool2d) maps [{string.Join(", ", inputShape)}] to [{string.Join(", ", output)}]; the exporter translates 2x2 pooling with stride 2.");
    }

    private static void Head(OnnxGraphWriter writer, ModelSpec spec, string x)
    {
        switch (spec.Loss)
        {
            case LossKind.CrossEntropy:
                writer.Node("Softmax", [x], ProbabilitiesName, OnnxGraphWriter.Int("axis", 1));
                Classifier(writer, spec.Outputs);
                break;
            case LossKind.BinaryCrossEntropy:
            {
                // Both classes' probabilities, [1 - p, p], as the session's Predict gives them.
                string p = writer.Node("Sigmoid", [x]);
                string q = writer.Node("Sub", [writer.Scalar("one", 1f), p]);
                writer.Node("Concat", [q, p], ProbabilitiesName, OnnxGraphWriter.Int("axis", 1));
                Classifier(writer, 2);
                break;
            }
            default:
                writer.Node("Identity", [x], PredictionsName);
                writer.Graph.Output.Add(OnnxGraphWriter.BatchTensor(PredictionsName, DataType.Float, spec.Outputs));
                break;
        }
    }

    private static void Classifier(OnnxGraphWriter writer, long classes)
    {
        writer.Node("ArgMax", [ProbabilitiesName], LabelName, OnnxGraphWriter.Int("axis", 1), OnnxGraphWriter.Int("keepdims", 0));
        writer.Graph.Output.Add(OnnxGraphWriter.BatchTensor(ProbabilitiesName, DataType.Float, classes));
        writer.Graph.Output.Add(OnnxGraphWriter.BatchTensor(LabelName, DataType.Int64));
    }

    // The architecture in the job's words, then what the host hands over (the README lists the keys).
    private static IEnumerable<(string Key, string Value)> Metadata(ModelSpec spec, ModelExportRequest request)
    {
        yield return ("conduit.model", spec.Signature);
        foreach (var (key, value) in request.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            yield return (key, value);
        }
    }

    private static float[] Values(Tensor tensor)
    {
        using Tensor flat = tensor.detach().cpu().contiguous();
        return flat.data<float>().ToArray();
    }
}
