using Conduit.Frameworks.TorchSharp.Training;
using TorchSharp;

namespace Conduit.Frameworks.TorchSharp.Diagnostics;

/// <summary>
/// Looks inside a torchsharp training session without TorchSharp types: its weights as numbers and the tensors alive
/// on this thread. For tests and troubleshooting (leaks, what a step changed); not part of the training contract.
/// </summary>
public static class TorchSharpSessionProbe
{
    /// <summary>Every parameter of the session's model, flattened and concatenated in state-dict order.</summary>
    /// <exception cref="ArgumentException"><paramref name="session"/> is not a torchsharp session.</exception>
    public static float[] Parameters(ITrainingSession session)
    {
        var torchSession = session as TorchSharpTrainingSession
            ?? throw new ArgumentException($"{session?.GetType().Name ?? "null"} is not a torchsharp training session.", nameof(session));
        var values = new List<float>();
        foreach (var parameter in torchSession.Parameters)
        {
            using torch.Tensor copy = parameter.detach().contiguous();
            values.AddRange(copy.data<float>());
        }
        return [.. values];
    }

    /// <summary>Whether libtorch runs deterministic algorithms only (what <c>trainer.deterministic</c> sets), read from libtorch.</summary>
    public static bool DeterministicAlgorithms()
    {
        LibTorchNatives.EnsureLoaded();
        return TorchSharp.DeterministicAlgorithms.IsEnabled();
    }

    /// <summary>The TorchSharp tensors created on this thread and not yet disposed (TorchSharp's own bookkeeping).</summary>
    public static long LiveTensorsOnThisThread() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
}
