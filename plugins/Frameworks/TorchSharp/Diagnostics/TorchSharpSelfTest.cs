using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Diagnostics;

/// <summary>
/// Proves, from inside the plugin's load context, that libtorch loads from the plugin folder and trains: a tiny MLP
/// learns a separable two-class problem on a fixed batch. Used by the plugin's tests (through reflection, as the host
/// sees the plugin) and meant for <c>conduit doctor</c>.
/// </summary>
public static class TorchSharpSelfTest
{
    /// <summary>The libtorch version TorchSharp was built against, after loading the natives.</summary>
    public static string LibTorchVersion()
    {
        LibTorchNatives.EnsureLoaded();
        return Version();
    }

    /// <summary>Trains an 8-16-2 MLP with Adam on one fixed batch of 64 examples and returns the loss of each step.</summary>
    /// <param name="steps">The optimizer steps, at least 1.</param>
    /// <param name="seed">The seed for the data and the initial weights.</param>
    public static double[] TrainTinyMlp(int steps, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        LibTorchNatives.EnsureLoaded();
        return Train(steps, seed);
    }

    // Kept apart so nothing of TorchSharp runs (its static constructor loads natives its own way) before EnsureLoaded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Version() => torch.__version__;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double[] Train(int steps, int seed)
    {
        torch.manual_seed(seed);
        using var scope = torch.NewDisposeScope();
        Tensor features = torch.randn(64, 8);
        Tensor labels = features[.., 0].add(features[.., 1]).gt(0).to_type(ScalarType.Int64);
        var model = nn.Sequential(
            ("fc1", nn.Linear(8, 16)),
            ("relu", nn.ReLU()),
            ("fc2", nn.Linear(16, 2)));
        using var optimizer = optim.Adam(model.parameters(), lr: 0.05);
        var losses = new double[steps];
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.cross_entropy(model.forward(features), labels);
            loss.backward();
            optimizer.step();
            losses[step] = loss.item<float>();
        }
        return losses;
    }
}
