using Conduit.Data;
using Conduit.Frameworks;

namespace Conduit.Host.Tests.Training;

/// <summary>
/// A training session without a framework: it records every call the loop makes (the example each batch starts
/// with, whether the optimizer stepped) and returns a constant loss, so the loop's flag logic runs without TorchSharp.
/// </summary>
internal sealed class StubSession : ITrainingSession
{
    /// <summary>Each TrainStep: the first example of its batch (see <see cref="StubLoop.Examples"/>) and whether the optimizer stepped.</summary>
    public List<(int FirstExample, bool Step)> Trained { get; } = [];

    /// <summary>Each EvaluateStep: the first example of its batch.</summary>
    public List<int> Evaluated { get; } = [];

    /// <summary>The epochs ended, in order.</summary>
    public List<int> EndedEpochs { get; } = [];

    public int OptimizerSteps => Trained.Count(t => t.Step);

    public ModelSummary Summary { get; } = new([], 0, 0, 0);

    public IReadOnlyDictionary<string, double> LearningRates { get; } = new Dictionary<string, double> { ["lr-Stub"] = 0.1 };

    public StepResult TrainStep(DataBatch batch, bool step)
    {
        Trained.Add((FirstExample(batch), step));
        return new StepResult(1.0, batch.Count);
    }

    public StepResult EvaluateStep(DataBatch batch)
    {
        Evaluated.Add(FirstExample(batch));
        return new StepResult(2.0, batch.Count);
    }

    public TensorBuffer<float> Predict(ITensorBuffer features) => new(new float[features.Shape[0]], new TensorShape(features.Shape[0], 1));

    public void EndEpoch(int epoch, IReadOnlyDictionary<string, double> metrics) => EndedEpochs.Add(epoch);

    public void SaveState(Stream destination) => destination.WriteByte(1);

    public void LoadState(Stream source) => source.ReadByte();

    public void Dispose()
    {
    }

    private static int FirstExample(DataBatch batch) => (int)((TensorBuffer<float>)batch.Features).Memory.Span[0];
}
