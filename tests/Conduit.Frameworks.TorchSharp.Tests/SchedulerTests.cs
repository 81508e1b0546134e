using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>Each scheduler's learning rates, epoch by epoch (or step by step), against its formula.</summary>
public sealed class SchedulerTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    private const string Model = """{ "type": "linear" }""";
    private static readonly InMemoryDataset Data = SyntheticData.Classification(40, 4, 2);
    private static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>();

    [Fact]
    public void No_scheduler_keeps_the_rate()
    {
        using ITrainingSession session = Create("""{ "lr": 0.02 }""");

        Assert.Equal([0.02, 0.02, 0.02, 0.02], Epochs(session, 3));
    }

    [Fact]
    public void Step_decays_by_gamma_every_step_size_epochs()
    {
        using ITrainingSession session = Create("""{ "type": "sgd", "lr": 0.1, "scheduler": { "type": "step", "step_size": 2, "gamma": 0.5 } }""");

        double[] expected = [.. Enumerable.Range(0, 8).Select(e => 0.1 * Math.Pow(0.5, e / 2))];
        Assert.Equal(expected, Epochs(session, 7), Close);
    }

    [Fact]
    public void Cosine_anneals_to_eta_min_over_t_max_epochs()
    {
        using ITrainingSession session = Create("""{ "lr": 0.1, "scheduler": { "type": "cosine", "t_max": 5, "eta_min": 0.001 } }""");

        double[] expected = [.. Enumerable.Range(0, 6).Select(e => 0.001 + ((0.1 - 0.001) * (1 + Math.Cos(Math.PI * e / 5)) / 2))];
        Assert.Equal(expected, Epochs(session, 5), Close);
        Assert.Equal(0.001, expected[^1], 12);
    }

    [Fact]
    public void Cosine_spans_the_run_when_t_max_is_not_given()
    {
        using ITrainingSession session = Create("""{ "lr": 0.1, "scheduler": "cosine" }""", o => o with { MaxEpochs = 4 });

        double[] rates = Epochs(session, 4);

        Assert.Equal(0.1 * (1 + Math.Cos(Math.PI / 4)) / 2, rates[1], 12);
        Assert.Equal(0.0, rates[4], 12);
    }

    [Fact]
    public void One_cycle_warms_up_then_anneals_once_per_optimizer_step()
    {
        // 5 steps per epoch, 2 epochs: 10 steps; PyTorch's OneCycleLR with its defaults (div 25, final div 1e4).
        using ITrainingSession session = Create("""{ "type": "sgd", "lr": 0.01, "scheduler": { "type": "one_cycle", "max_lr": 0.1 } }""", o => o with { StepsPerEpoch = 5, MaxEpochs = 2 });
        const double initial = 0.1 / 25, final = initial / 1e4, warmupEnd = (0.3 * 10) - 1;
        static double Anneal(double start, double end, double pct) => end + ((start - end) / 2 * (Math.Cos(Math.PI * pct) + 1));
        double Expected(int step) => step <= warmupEnd
            ? Anneal(initial, 0.1, step / warmupEnd)
            : Anneal(0.1, final, (step - warmupEnd) / (9 - warmupEnd));

        var rates = new List<double> { Rate(session) };
        DataBatch batch = Sessions.Batches(Data, 8)[0];
        for (int step = 1; step <= 10; step++)
        {
            session.TrainStep(batch, step: false); // accumulating: the schedule must not move
            Assert.Equal(rates[^1], Rate(session));
            session.TrainStep(batch, step: true);
            rates.Add(Rate(session));
        }
        session.EndEpoch(0, NoMetrics); // epochs do not move it either

        Assert.Equal(Enumerable.Range(0, 11).Select(s => Expected(Math.Min(s, 9))), rates, Close);
        Assert.Equal(0.1, rates[2], 12);
        Assert.Equal(final, Rate(session), 15);
    }

    [Fact]
    public void Reduce_on_plateau_cuts_the_rate_after_patience_epochs_without_improvement()
    {
        using ITrainingSession session = Create("""{ "lr": 0.1, "scheduler": { "type": "reduce_on_plateau", "patience": 1, "factor": 0.5 } }""");
        double[] valLoss = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85];

        var rates = new List<double>();
        for (int epoch = 0; epoch < valLoss.Length; epoch++)
        {
            session.EndEpoch(epoch, new Dictionary<string, double> { ["train_loss_epoch"] = 2.0, ["val_loss"] = valLoss[epoch] });
            rates.Add(Rate(session));
        }

        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025], rates, Close);
    }

    [Fact]
    public void Reduce_on_plateau_in_max_mode_respects_min_lr()
    {
        using ITrainingSession session = Create("""{ "lr": 0.1, "scheduler": { "type": "reduce_on_plateau", "monitor": "val_acc", "mode": "max", "patience": 0, "factor": 0.1, "min_lr": 0.005 } }""");

        var rates = new List<double>();
        foreach (double accuracy in new[] { 0.5, 0.6, 0.6, 0.6, 0.7 })
        {
            session.EndEpoch(rates.Count, new Dictionary<string, double> { ["val_acc"] = accuracy });
            rates.Add(Rate(session));
        }

        Assert.Equal([0.1, 0.1, 0.01, 0.005, 0.005], rates, Close);
    }

    [Fact]
    public void Reduce_on_plateau_names_a_missing_monitor_and_the_metrics_present()
    {
        using ITrainingSession session = Create("""{ "scheduler": { "type": "reduce_on_plateau" } }""");

        var error = Assert.Throws<InvalidOperationException>(() =>
            session.EndEpoch(0, new Dictionary<string, double> { ["train_loss_epoch"] = 1, ["train_acc_epoch"] = 0.5 }));

        Assert.Equal(
            "optimizer.scheduler.monitor: the metric 'val_loss' was not reported at the end of epoch 1; the metrics were: train_acc_epoch, train_loss_epoch. Monitor one of them, or add a validation set for val_ metrics.",
            error.Message);
    }

    private static readonly IEqualityComparer<double> Close = EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a)), _ => 0);

    private ITrainingSession Create(string optimizer, Func<TrainingSessionOptions, TrainingSessionOptions>? adjust = null)
    {
        TrainingSessionOptions options = Sessions.Options(Data, Model, optimizer);
        return Framework.CreateTrainingSession(adjust is null ? options : adjust(options));
    }

    private static double Rate(ITrainingSession session) => session.LearningRates.Values.Single();

    // The rate before training, then after each of `epochs` epochs.
    private static double[] Epochs(ITrainingSession session, int epochs)
    {
        var rates = new List<double> { Rate(session) };
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            session.EndEpoch(epoch, NoMetrics);
            rates.Add(Rate(session));
        }
        return [.. rates];
    }
}
