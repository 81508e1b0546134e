using Conduit.Configuration;
using Conduit.Frameworks.TorchSharp.Models;
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
    public nn.Module<Tensor, Tensor> Build(TorchArchitectureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Each setting once, with its default and range; a bad value is reported with the job's other problems.
        int width = context.Settings.Int("width", 128, 1, 65536);
        int blocks = context.Settings.Int("blocks", 2, 1, 64);
        double dropout = context.Settings.Double("dropout", 0, SettingRange.UnitOpen);
        long inputs = context.InputShape.Aggregate(1L, (product, d) => product * d);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("flatten", nn.Flatten()), ("stem", nn.Linear(inputs, width)) };
        for (int i = 1; i <= blocks; i++)
        {
            layers.Add(($"block{i}", new ResidualBlock($"block{i}", width, dropout)));
        }
        layers.Add(("head", nn.Linear(width, context.Outputs)));
        return nn.Sequential(layers);
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
