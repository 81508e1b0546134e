using Conduit.Host.Checkpoints;
using Conduit.Host.Jobs;
using Conduit.Host.Tests.Support;
using Conduit.Host.Training;
using Conduit.Host.Training.Callbacks;
using Conduit.Messages;

namespace Conduit.Host.Tests.Training;

/// <summary>
/// The real trainer loop driving a stub session (no TorchSharp): what each flag does to the calls, steps,
/// validations and epochs. 40 training examples and 8 validation ones in batches of 4: 10 and 2 batches.
/// </summary>
public sealed class TrainerLoopTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static int[] FirstExamples(StubSession session) => [.. session.Trained.Select(t => t.FirstExample)];

    [Fact]
    public async Task Fast_dev_run_trains_and_validates_n_batches_once_in_order_and_writes_no_checkpoint()
    {
        string checkpoints = _temp.Combine("checkpoints");

        var run = await StubLoop.FitAsync(TrainerSettings.Default with { FastDevRun = 2, MaxEpochs = 5, MaxSteps = 1 }, checkpoints: checkpoints);

        Assert.Equal([0, 4], FirstExamples(run.Session));
        Assert.Equal([1000, 1004], run.Session.Evaluated);
        Assert.Single(run.Validations);
        Assert.Equal([0], run.Session.EndedEpochs);
        Assert.Equal(new TrainerPosition(1, 0, 2), run.Outcome.Position);
        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
        Assert.Null(run.Outcome.LastCheckpoint);
        Assert.False(Directory.Exists(checkpoints));
    }

    [Fact]
    public async Task Overfit_batches_trains_and_validates_on_the_same_first_training_batches()
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { OverfitBatches = new BatchLimit(3, null), MaxEpochs = 2 });

        Assert.Equal([0, 4, 8, 0, 4, 8], FirstExamples(run.Session));
        Assert.Equal([0, 4, 8, 0, 4, 8], run.Session.Evaluated);
        Assert.Equal(2, run.Validations.Count);
    }

    [Fact]
    public async Task The_default_shuffles_each_epoch_differently()
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { MaxEpochs = 2 });

        int[] order = FirstExamples(run.Session);
        Assert.Equal(20, order.Length);
        Assert.NotEqual(order[..10], order[10..]);
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => i * 4), order[..10]);
    }

    [Theory]
    [InlineData("0.5", 1, 5)]
    [InlineData("5", 2, 10)]
    public async Task Limit_train_batches_bounds_each_epoch(string limit, int epochs, int batches)
    {
        Assert.True(BatchLimit.TryParse(limit, out BatchLimit parsed));

        var run = await StubLoop.FitAsync(TrainerSettings.Default with { LimitTrainBatches = parsed, MaxEpochs = epochs });

        Assert.Equal(batches, run.Session.Trained.Count);
        Assert.Equal(batches, run.Outcome.Position.GlobalStep);
        Assert.Equal(epochs, run.Epochs.Count);
    }

    [Theory]
    [InlineData(7, 0, 7, 0)]
    [InlineData(13, 1, 3, 1)]
    public async Task Max_steps_stops_inside_an_epoch_and_the_position_stays_there(long maxSteps, int epoch, long batch, int epochsEnded)
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { MaxSteps = maxSteps });

        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
        Assert.Equal(new TrainerPosition(epoch, batch, maxSteps), run.Outcome.Position);
        Assert.Equal(maxSteps, run.Session.Trained.Count);
        Assert.Equal(epochsEnded, run.Epochs.Count);
    }

    [Fact]
    public async Task Val_check_interval_as_a_fraction_validates_inside_the_epoch_and_at_its_end()
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { ValCheckInterval = new BatchLimit(null, 0.25), MaxEpochs = 1 });

        // A quarter of 10 batches is 2: after batches 2, 4, 6 and 8, then at the epoch's end.
        Assert.Equal([2L, 4, 6, 8, 10], run.Validations.Select(v => v.GlobalStep));
        Assert.Equal(5 * 2, run.Session.Evaluated.Count);
    }

    [Fact]
    public async Task Val_check_interval_as_a_count_validates_every_n_batches()
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { ValCheckInterval = new BatchLimit(10, null), MaxEpochs = 1 }, trainExamples: 160);

        Assert.Equal([10L, 20, 30, 40], run.Validations.Select(v => v.GlobalStep));
    }

    [Fact]
    public async Task Check_val_every_n_epoch_validates_every_second_epoch()
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { CheckValEveryNEpoch = 2, MaxEpochs = 4 });

        Assert.Equal([1, 3], run.Validations.Select(v => v.Epoch));
        Assert.Equal([0, 1, 2, 3], run.Session.EndedEpochs);
        Assert.True(run.Epochs[1].Metrics.ContainsKey("val_loss"));
        Assert.False(run.Epochs[0].Metrics.ContainsKey("val_loss"));
    }

    [Fact]
    public async Task Limit_val_batches_0_turns_validation_off_inside_the_epoch_too()
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { LimitValBatches = BatchLimit.None, ValCheckInterval = new BatchLimit(2, null), MaxEpochs = 1 });

        Assert.Empty(run.Validations);
        Assert.Empty(run.Session.Evaluated);
    }

    [Fact]
    public async Task Accumulate_grad_batches_steps_every_n_batches_and_after_an_uneven_last_group()
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { AccumulateGradBatches = 3, MaxEpochs = 2 });

        bool[] epoch = [false, false, true, false, false, true, false, false, true, true];
        Assert.Equal([.. epoch, .. epoch], run.Session.Trained.Select(t => t.Step));
        Assert.Equal([0L, 0, 1, 1, 1, 2, 2, 2, 3, 4], run.Batches.Take(10).Select(b => b.GlobalStep));
        Assert.Equal(8, run.Outcome.Position.GlobalStep);
    }

    [Fact]
    public async Task Log_every_n_steps_logs_the_loss_and_learning_rates_at_those_steps()
    {
        var run = await StubLoop.FitAsync(TrainerSettings.Default with { LogEveryNSteps = 4, MaxEpochs = 1 });

        Assert.Equal([4L, 8], run.Metrics.Where(m => m.Metrics.ContainsKey("lr-Stub")).Select(m => m.Step));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(3, 3)]
    public async Task Min_epochs_outranks_an_early_stop_request(int minEpochs, int stoppedAt)
    {
        // The loss never changes, so early stopping with patience 1 asks to stop at the end of the second epoch.
        var earlyStopping = new EarlyStopping("train_loss_epoch", MonitorMode.Min, patience: 1, minDelta: 0);

        var run = await StubLoop.FitAsync(TrainerSettings.Default with { MinEpochs = minEpochs, MaxEpochs = 10 }, callbacks: [earlyStopping]);

        Assert.Equal(RunStatus.Stopped, run.Outcome.Status);
        Assert.Equal(new TrainerPosition(stoppedAt, 0, stoppedAt * 10), run.Outcome.Position);
        Assert.Contains("(early_stopping)", run.Outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_resumed_mid_epoch_trains_the_batches_an_uninterrupted_run_would()
    {
        var whole = await StubLoop.FitAsync(TrainerSettings.Default with { MaxEpochs = 2, EnableCheckpointing = false });
        string checkpoints = _temp.Combine("checkpoints");
        var first = await StubLoop.FitAsync(TrainerSettings.Default with { MaxEpochs = 2, MaxSteps = 13 }, checkpoints: checkpoints);
        CheckpointMetadata last = CheckpointStore.Resolve("last", checkpoints).Metadata;

        var second = await StubLoop.FitAsync(TrainerSettings.Default with { MaxEpochs = 2 }, checkpoints: checkpoints, resume: last);

        Assert.Equal(new TrainerPosition(1, 3, 13), first.Outcome.Position);
        int[] resumed = [.. FirstExamples(first.Session), .. FirstExamples(second.Session)];
        Assert.Equal(FirstExamples(whole.Session), resumed);
        Assert.Equal(whole.Outcome.Position, second.Outcome.Position);
        Assert.Equal(whole.Epochs[^1].Metrics, second.Epochs[^1].Metrics);
    }
}
