using Conduit.Configuration;
using Conduit.Data;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests.Support;

/// <summary>Options, batches and training passes for the session tests: the contract, batched by the host's in-memory dataset.</summary>
internal static class Sessions
{
    /// <summary>Options for <paramref name="data"/> with the model and optimizer sections as JSON; one thread, so tiny models run fast.</summary>
    public static TrainingSessionOptions Options(InMemoryDataset data, string model, string optimizer = "{}", int seed = 1) =>
        new() { Model = new SettingsReader(Json.Of(model), "model"), Optimizer = new SettingsReader(Json.Of(optimizer), "optimizer"), Schema = data.Schema, Seed = seed, Threads = 1 };

    /// <summary>One epoch's batches, in the seeded order the host's loop reads them (copied: the source reuses its buffers).</summary>
    public static List<DataBatch> Batches(InMemoryDataset data, int batchSize, int epoch = 0, int seed = 1, bool shuffle = true) =>
        [.. data.ReadBatchesAsync(new BatchOptions(batchSize, shuffle, seed, epoch)).ToBlockingEnumerable().Select(Copy)];

    private static DataBatch Copy(DataBatch batch)
    {
        var features = (TensorBuffer<float>)batch.Features;
        ITensorBuffer? targets = batch.Targets switch
        {
            TensorBuffer<long> classes => new TensorBuffer<long>(classes.Memory.ToArray(), classes.Shape),
            TensorBuffer<float> values => new TensorBuffer<float>(values.Memory.ToArray(), values.Shape),
            _ => null,
        };
        return new DataBatch(new TensorBuffer<float>(features.Memory.ToArray(), features.Shape), targets);
    }

    /// <summary>Trains <paramref name="epochs"/> epochs, stepping after every batch; returns every batch's loss.</summary>
    public static List<double> Train(ITrainingSession session, InMemoryDataset data, int epochs, int batchSize, int seed = 1)
    {
        var losses = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (DataBatch batch in Batches(data, batchSize, epoch, seed))
            {
                losses.Add(session.TrainStep(batch, step: true).Loss);
            }
            session.EndEpoch(epoch, new Dictionary<string, double> { ["train_loss_epoch"] = losses[^1] });
        }
        return losses;
    }

    /// <summary>The mean loss and the summed result of one evaluation pass.</summary>
    public static (double Loss, StepResult Total) Evaluate(ITrainingSession session, InMemoryDataset data, int batchSize = 64)
    {
        double weighted = 0;
        var total = new StepResult(0, 0);
        foreach (DataBatch batch in Batches(data, batchSize, shuffle: false))
        {
            StepResult r = session.EvaluateStep(batch);
            weighted += r.Loss * r.Count;
            total = new StepResult(0, total.Count + r.Count, total.Correct + r.Correct, total.AbsoluteError + r.AbsoluteError, total.SquaredError + r.SquaredError);
        }
        return (weighted / total.Count, total);
    }
}
