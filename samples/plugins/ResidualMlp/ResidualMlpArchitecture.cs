using System.Globalization;
using Conduit.Frameworks.TorchSharp.Models;
using Microsoft.Extensions.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Conduit.Samples.ResidualMlp;

/// <summary>
/// <c>model.type: residual_mlp</c>: a linear stem to <c>width</c>, <c>blocks</c> residual blocks
/// (<c>x + fc2(dropout(relu(fc1(norm(x)))))</c>), then a linear head.
/// </summary>
public sealed class ResidualMlpArchitecture : ITorchArchitecture
{
    /// <inheritdoc/>
    public string Name => "residual_mlp";

    /// <inheritdoc/>
    public IReadOnlyList<string> Keys { get; } = ["width", "blocks", "dropout"];

    /// <inheritdoc/>
    public nn.Module<Tensor, Tensor> Build(TorchArchitectureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int width = Read(context.Settings, "width", 128, 1, 65536);
        int blocks = Read(context.Settings, "blocks", 2, 1, 64);
        double dropout = double.TryParse(context.Settings["dropout"] ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && p is >= 0 and < 1
            ? p
            : throw new ArgumentException($"model.dropout: '{context.Settings["dropout"]}' is not allowed; expected a probability in [0, 1)");
        long inputs = context.InputShape.Aggregate(1L, (product, d) => product * d);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("flatten", nn.Flatten()), ("stem", nn.Linear(inputs, width)) };
        for (int i = 1; i <= blocks; i++)
        {
            layers.Add(($"block{i}", new ResidualBlock($"block{i}", width, dropout)));
        }
        layers.Add(("head", nn.Linear(width, context.Outputs)));
        return nn.Sequential(layers);
    }

    private static int Read(IConfiguration settings, string key, int fallback, int min, int max)
    {
        string? text = settings[key];
        if (text is null)
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"model.{key}: '{text}' is not allowed; expected an integer from {min} to {max}");
    }
}

/// <summary>One pre-norm residual block: <c>x + fc2(dropout(relu(fc1(norm(x)))))</c>.</summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Dropout drop;

    /// <summary>A block of <paramref name="width"/> units.</summary>
    public ResidualBlock(string name, int width, double dropout) : base(name)
    {
        norm = nn.LayerNorm(width);
        fc1 = nn.Linear(width, width);
        fc2 = nn.Linear(width, width);
        drop = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => input + fc2.forward(drop.forward(nn.functional.relu(fc1.forward(norm.forward(input)))));

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            norm.Dispose();
            fc1.Dispose();
            fc2.Dispose();
            drop.Dispose();
        }
        base.Dispose(disposing);
    }
}
