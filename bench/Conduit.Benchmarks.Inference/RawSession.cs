using Microsoft.ML.OnnxRuntime;

namespace Conduit.Benchmarks;

/// <summary>The baseline: a plain ONNX Runtime session with OrtValues bound once per batch size.</summary>
public sealed class RawSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly Dictionary<int, (float[] Input, OrtValue[] Inputs, OrtValue[] Outputs)> _bound = [];
    private readonly string[] _inputNames = ["input"];
    private readonly string[] _outputNames = ["probabilities"];

    /// <summary>Opens <paramref name="path"/> (the exported digits model: input [batch, 64], probabilities [batch, 10]).</summary>
    public RawSession(string path, int threads)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(path, options);
    }

    public void Run(ReadOnlySpan<float> features, int batch)
    {
        if (!_bound.TryGetValue(batch, out var bound))
        {
            var input = new float[batch * 64];
            bound = (input, [OrtValue.CreateTensorValueFromMemory(input, [batch, 64])], [OrtValue.CreateTensorValueFromMemory(new float[batch * 10], [batch, 10])]);
            _bound[batch] = bound;
        }
        features.CopyTo(bound.Input);
        _session.Run(_run, _inputNames, bound.Inputs, _outputNames, bound.Outputs);
    }

    public void Dispose()
    {
        foreach (var (_, inputs, outputs) in _bound.Values)
        {
            inputs[0].Dispose();
            outputs[0].Dispose();
        }
        _run.Dispose();
        _session.Dispose();
    }
}
