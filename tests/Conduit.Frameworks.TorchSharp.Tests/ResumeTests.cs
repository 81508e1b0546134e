using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>
/// Exact resume: k steps, SaveState, a new session that loads it and trains the rest gives the same losses and final
/// weights, bit for bit, as one session that trains every step (dropout on, so the random generator must continue).
/// </summary>
public sealed class ResumeTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    private const int BatchSize = 16;
    private const int Epochs = 3;

    public static TheoryData<bool, string, string> Runs => new()
    {
        // Adam moments and step counts, batch-norm running statistics, dropout, and the one-cycle position.
        { false, """{ "type": "mlp", "hidden": [16, 16], "dropout": 0.3, "batch_norm": true }""", """{ "type": "adam", "lr": 0.01, "scheduler": { "type": "one_cycle", "max_lr": 0.02 } }""" },
        // SGD's Nesterov momentum buffers and the plateau scheduler's best value and patience counter, on a cnn.
        { true, """{ "type": "cnn", "channels": [4], "hidden": [16], "dropout": 0.5, "batch_norm": true }""", """{ "type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true, "scheduler": { "type": "reduce_on_plateau", "monitor": "train_loss", "patience": 0, "factor": 0.7 } }""" },
        { false, """{ "type": "mlp", "hidden": [8], "dropout": 0.2 }""", """{ "type": "adamw", "lr": 0.01, "weight_decay": 0.1, "scheduler": { "type": "step", "step_size": 1, "gamma": 0.5 } }""" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Saved_and_loaded_midway_trains_on_exactly_as_without_stopping(bool images, string model, string optimizer)
    {
        InMemoryDataset data = images ? SyntheticData.Quadrants(96) : SyntheticData.Classification(96, 6, 3);
        TrainingSessionOptions options = Sessions.Options(data, model, optimizer, seed: 11) with
        {
            Deterministic = true,
            StepsPerEpoch = 96 / BatchSize,
            MaxEpochs = Epochs,
        };
        int total = Epochs * (96 / BatchSize);

        // Sessions stay alive side by side: each keeps its own random stream.
        using ITrainingSession whole = Framework.CreateTrainingSession(options);
        using ITrainingSession first = Framework.CreateTrainingSession(options);
        List<double> expected = Steps(whole, data, 0, total);
        var state = new MemoryStream();
        List<double> losses = Steps(first, data, 0, 8);
        first.SaveState(state);
        Steps(first, data, 8, 10); // the saved session trains on: what it saved must not change
        using ITrainingSession resumed = Framework.CreateTrainingSession(options);
        state.Position = 0;
        resumed.LoadState(state);
        losses.AddRange(Steps(resumed, data, 8, total));

        Assert.Equal(expected, losses);
        Assert.Equal(Weights(whole), Weights(resumed));
        Assert.Equal(whole.LearningRates, resumed.LearningRates);
        DataBatch batch = Sessions.Batches(data, 32, shuffle: false)[0];
        Assert.Equal(whole.Predict(batch.Features).Memory.ToArray(), resumed.Predict(batch.Features).Memory.ToArray());
    }

    [Fact]
    public void State_of_another_architecture_is_refused_before_anything_is_loaded()
    {
        InMemoryDataset data = SyntheticData.Classification(32, 6, 3);
        using ITrainingSession saved = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [16] }"""));
        using ITrainingSession other = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [32] }""", """{ "type": "sgd", "lr": 0.1 }"""));
        float[] before = Weights(other);
        var state = new MemoryStream();
        saved.SaveState(state);
        state.Position = 0;

        var error = Assert.Throws<InvalidDataException>(() => other.LoadState(state));

        Assert.Equal(
            "The saved torchsharp state does not fit this session: it holds the model 'mlp input=[6] hidden=[16] activation=relu dropout=0 batch_norm=false outputs=3 loss=cross_entropy', "
            + "but this session's model is 'mlp input=[6] hidden=[32] activation=relu dropout=0 batch_norm=false outputs=3 loss=cross_entropy'; "
            + "it holds Adam optimizer state, but this session uses SGD. Resume with the job that wrote it.",
            error.Message);
        Assert.Equal(before, Weights(other));
    }

    [Fact]
    public void Damaged_state_is_refused_as_invalid_data()
    {
        InMemoryDataset data = SyntheticData.Classification(32, 6, 3);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [16] }"""));
        var state = new MemoryStream();
        session.SaveState(state);
        byte[] bytes = state.ToArray();
        Sessions.Train(session, data, epochs: 1, batchSize: 8);
        float[] before = Weights(session);

        var foreign = Assert.Throws<InvalidDataException>(() => session.LoadState(new MemoryStream("not a checkpoint at all, just text"u8.ToArray())));
        var truncated = Assert.Throws<InvalidDataException>(() => session.LoadState(new MemoryStream(bytes[..(bytes.Length / 2)])));

        Assert.Equal("The stream is not valid torchsharp session state: it does not start with the torchsharp session state's magic.", foreign.Message);
        Assert.Equal("The torchsharp session state is cut short.", truncated.Message);
        Assert.Equal(before, Weights(session));
    }

    // Trains global steps [from, to) of the run; an epoch's last batch is followed by EndEpoch with that batch's loss.
    private static List<double> Steps(ITrainingSession session, InMemoryDataset data, int from, int to)
    {
        int perEpoch = data.Length / BatchSize;
        var losses = new List<double>();
        for (int step = from; step < to; step++)
        {
            (int epoch, int index) = (step / perEpoch, step % perEpoch);
            double loss = session.TrainStep(Sessions.Batches(data, BatchSize, epoch, seed: 11)[index], step: true).Loss;
            losses.Add(loss);
            if (index == perEpoch - 1)
            {
                session.EndEpoch(epoch, new Dictionary<string, double> { ["train_loss"] = loss });
            }
        }
        return losses;
    }
}
