using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>
/// Builds the module of a <see cref="ModelSpec"/>. The construction order is the order the weights draw from the
/// random generator, so a model built after the same <c>manual_seed</c> is the same model: keep the order stable.
/// </summary>
internal sealed class ModelBuilder
{
    private readonly List<BuiltLayer> _layers = [];
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private long[] _shape;

    private ModelBuilder(IReadOnlyList<int> inputShape)
    {
        _shape = [.. inputShape.Select(d => (long)d)];
    }

    /// <summary>Builds the model on the CPU; the caller seeds the generator first.</summary>
    /// <exception cref="ArgumentException">A plugin architecture refused its settings.</exception>
    public static BuiltModel Build(ModelSpec spec)
    {
        if (spec.Architecture is { } architecture)
        {
            nn.Module<Tensor, Tensor> custom = architecture.Build(new TorchArchitectureContext(spec.InputShape, spec.Outputs, spec.Settings!));
            return LayerShapes.Describe(custom as Sequential ?? nn.Sequential(("model", custom)), spec.InputShape);
        }
        var builder = new ModelBuilder(spec.InputShape);
        if (spec.Type == ModelType.Cnn)
        {
            builder.AddConvolutions(spec);
        }
        builder.AddDense(spec);
        var layers = builder._layers;
        Sequential module = nn.Sequential(layers.Select(l => (l.Name, l.Module)));
        return new BuiltModel(module, layers);
    }

    private void AddConvolutions(ModelSpec spec)
    {
        foreach (int channels in spec.Channels)
        {
            // "Same" padding keeps height and width, for odd and even kernels alike.
            Add("conv", nn.Conv2d(_shape[0], channels, spec.KernelSize, Padding.Same), [channels, _shape[1], _shape[2]]);
            if (spec.BatchNorm)
            {
                Add("bn", nn.BatchNorm2d(channels), _shape);
            }
            Add("act", Activation(spec.Activation), _shape);
            if (_shape[1] >= 2 && _shape[2] >= 2)
            {
                Add("pool", nn.MaxPool2d(2), [_shape[0], _shape[1] / 2, _shape[2] / 2]);
            }
        }
        Add("flatten", nn.Flatten(), [_shape.Aggregate(1L, (p, d) => p * d)], numbered: false);
    }

    private void AddDense(ModelSpec spec)
    {
        foreach (int width in spec.Hidden)
        {
            Add("fc", nn.Linear(_shape[0], width), [width]);
            if (spec.BatchNorm)
            {
                Add("bn", nn.BatchNorm1d(width), _shape);
            }
            Add("act", Activation(spec.Activation), _shape);
            if (spec.Dropout > 0)
            {
                Add("drop", nn.Dropout(spec.Dropout), _shape);
            }
        }
        Add("fc", nn.Linear(_shape[0], spec.Outputs), [spec.Outputs]);
    }

    private void Add(string kind, nn.Module<Tensor, Tensor> module, long[] outputShape, bool numbered = true)
    {
        int n = _counters.GetValueOrDefault(kind) + 1;
        _counters[kind] = n;
        _shape = outputShape;
        _layers.Add(new BuiltLayer(numbered ? $"{kind}{n}" : kind, module, outputShape));
    }

    private static nn.Module<Tensor, Tensor> Activation(ActivationKind kind) => kind switch
    {
        ActivationKind.Tanh => nn.Tanh(),
        ActivationKind.Gelu => nn.GELU(),
        ActivationKind.Sigmoid => nn.Sigmoid(),
        ActivationKind.LeakyRelu => nn.LeakyReLU(),
        ActivationKind.Elu => nn.ELU(),
        _ => nn.ReLU(),
    };
}
