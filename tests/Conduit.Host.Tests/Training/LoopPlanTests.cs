using Conduit.Host.Jobs;
using Conduit.Host.Training;

namespace Conduit.Host.Tests.Training;

/// <summary>The trainer's flags resolved into plain limits (40 training examples, 8 validation, batches of 4: 10 and 2 batches).</summary>
public sealed class LoopPlanTests
{
    private static readonly LoopData Data = new(40, 8, 4);

    private static LoopPlan Plan(TrainerSettings settings, LoopData? data = null) => LoopPlan.Resolve(settings, data ?? Data);

    [Fact]
    public void Without_flags_the_plan_is_every_batch_shuffled_with_checkpoints()
    {
        LoopPlan plan = Plan(TrainerSettings.Default);

        Assert.Equal(10, plan.TrainBatches);
        Assert.Equal(2, plan.ValidationBatches);
        Assert.True(plan.Shuffle);
        Assert.False(plan.ValidatesOnTrainingData);
        Assert.Equal(10, plan.MaxEpochs);
        Assert.Equal(-1, plan.MaxSteps);
        Assert.Equal(0, plan.ValidationInterval);
        Assert.Equal(10, plan.OptimizerStepsPerEpoch);
        Assert.True(plan.WritesCheckpoints);
    }

    [Fact]
    public void Fast_dev_run_is_n_batches_of_one_epoch_without_max_steps_checkpoints_or_shuffling()
    {
        LoopPlan plan = Plan(TrainerSettings.Default with { FastDevRun = 2, MaxEpochs = 5, MaxSteps = 1, LimitTrainBatches = new BatchLimit(7, null) });

        Assert.Equal(2, plan.TrainBatches);
        Assert.Equal(2, plan.ValidationBatches);
        Assert.Equal(1, plan.MaxEpochs);
        Assert.Equal(-1, plan.MaxSteps);
        Assert.False(plan.Shuffle);
        Assert.False(plan.WritesCheckpoints);
        Assert.Equal(2, plan.OptimizerStepsPerEpoch);
    }

    [Fact]
    public void Fast_dev_run_takes_no_more_batches_than_the_data_has()
    {
        LoopPlan plan = Plan(TrainerSettings.Default with { FastDevRun = 50 });

        Assert.Equal(10, plan.TrainBatches);
        Assert.Equal(2, plan.ValidationBatches);
    }

    [Fact]
    public void Overfit_batches_trains_and_validates_on_the_same_first_batches_unshuffled()
    {
        LoopPlan count = Plan(TrainerSettings.Default with { OverfitBatches = new BatchLimit(3, null) });
        LoopPlan fraction = Plan(TrainerSettings.Default with { OverfitBatches = new BatchLimit(null, 0.5) });

        Assert.Equal((3L, 3L), (count.TrainBatches, count.ValidationBatches));
        Assert.True(count.ValidatesOnTrainingData);
        Assert.False(count.Shuffle);
        Assert.True(count.WritesCheckpoints);
        Assert.Equal((5L, 5L), (fraction.TrainBatches, fraction.ValidationBatches));
    }

    [Fact]
    public void Overfit_batches_validates_without_validation_data()
    {
        LoopPlan plan = Plan(TrainerSettings.Default with { OverfitBatches = new BatchLimit(3, null) }, new LoopData(40, 0, 4));

        Assert.Equal(3, plan.ValidationBatches);
        Assert.True(plan.ValidatesAtEndOf(0));
    }

    [Theory]
    [InlineData("0.5", 5)]
    [InlineData("5", 5)]
    [InlineData("100", 10)]
    [InlineData("1.0", 10)]
    [InlineData("0.01", 1)]
    public void Limit_train_batches_is_a_count_or_a_fraction_of_the_epoch(string limit, long batches)
    {
        Assert.True(BatchLimit.TryParse(limit, out BatchLimit parsed));

        LoopPlan plan = Plan(TrainerSettings.Default with { LimitTrainBatches = parsed });

        Assert.Equal(batches, plan.TrainBatches);
        Assert.Equal(batches, plan.OptimizerStepsPerEpoch);
    }

    [Fact]
    public void Drop_last_drops_a_last_short_training_batch_but_never_a_validation_one()
    {
        LoopPlan kept = Plan(TrainerSettings.Default, new LoopData(42, 10, 4));
        LoopPlan dropped = Plan(TrainerSettings.Default, new LoopData(42, 10, 4) { DropLast = true });

        Assert.Equal(11, kept.TrainBatches);
        Assert.Equal(10, dropped.TrainBatches);
        Assert.Equal(3, dropped.ValidationBatches);
    }

    [Fact]
    public void Accumulate_grad_batches_steps_after_each_group_and_after_the_epochs_last_batch()
    {
        LoopPlan plan = Plan(TrainerSettings.Default with { AccumulateGradBatches = 3 });

        Assert.Equal([2L, 5, 8, 9], Enumerable.Range(0, 10).Select(i => (long)i).Where(plan.StepsAfter));
        Assert.Equal(4, plan.OptimizerStepsPerEpoch);
    }

    [Theory]
    [InlineData("0.25", 2)]
    [InlineData("0.05", 1)]
    [InlineData("3", 3)]
    [InlineData("1.0", 0)]
    public void Val_check_interval_is_batches_between_validations_inside_an_epoch(string interval, long batches)
    {
        Assert.True(BatchLimit.TryParse(interval, out BatchLimit parsed));

        Assert.Equal(batches, Plan(TrainerSettings.Default with { ValCheckInterval = parsed }).ValidationInterval);
    }

    [Fact]
    public void Validation_runs_inside_an_epoch_at_the_interval_but_not_at_its_end()
    {
        LoopPlan plan = Plan(TrainerSettings.Default with { ValCheckInterval = new BatchLimit(3, null) });

        Assert.Equal([3L, 6, 9], Enumerable.Range(1, 10).Select(i => (long)i).Where(done => plan.ValidatesAfter(done, 0)));
    }

    [Fact]
    public void Check_val_every_n_epoch_skips_the_epochs_between()
    {
        LoopPlan plan = Plan(TrainerSettings.Default with { CheckValEveryNEpoch = 2, ValCheckInterval = new BatchLimit(5, null) });

        Assert.Equal([1, 3], Enumerable.Range(0, 4).Where(plan.ValidatesAtEndOf));
        Assert.False(plan.ValidatesAfter(5, 0));
        Assert.True(plan.ValidatesAfter(5, 1));
    }

    [Fact]
    public void No_validation_data_or_limit_val_batches_0_means_no_validation()
    {
        LoopPlan none = Plan(TrainerSettings.Default with { ValCheckInterval = new BatchLimit(2, null) }, new LoopData(40, 0, 4));
        LoopPlan limited = Plan(TrainerSettings.Default with { LimitValBatches = BatchLimit.None, ValCheckInterval = new BatchLimit(2, null) });

        Assert.All([none, limited], plan =>
        {
            Assert.Equal(0, plan.ValidationBatches);
            Assert.False(plan.ValidatesAtEndOf(0));
            Assert.False(plan.ValidatesAfter(2, 0));
        });
    }

    [Fact]
    public void Data_of_unknown_size_is_read_to_its_end_and_its_steps_per_epoch_are_unknown()
    {
        LoopPlan plan = Plan(TrainerSettings.Default, new LoopData(null, null, 4));

        Assert.Equal(LoopData.UnknownBatches, plan.TrainBatches);
        Assert.Equal(LoopData.UnknownBatches, plan.ValidationBatches);
        Assert.False(plan.EpochLengthKnown);
        Assert.Equal(0, plan.OptimizerStepsPerEpoch);
    }

    [Fact]
    public void Max_epochs_and_max_steps_end_the_loop_and_minus_1_means_no_limit()
    {
        LoopPlan limited = Plan(TrainerSettings.Default with { MaxEpochs = 2, MaxSteps = 7 });
        LoopPlan unlimited = Plan(TrainerSettings.Default with { MaxEpochs = -1, MaxSteps = -1 });

        Assert.Equal((false, true), (limited.EpochsDone(1), limited.EpochsDone(2)));
        Assert.Equal((false, true), (limited.StepsDone(6), limited.StepsDone(7)));
        Assert.False(unlimited.EpochsDone(int.MaxValue));
        Assert.False(unlimited.StepsDone(long.MaxValue));
    }

    [Fact]
    public void Checkpoints_are_written_unless_checkpointing_is_off_or_fast_dev_run_is_set()
    {
        Assert.False(Plan(TrainerSettings.Default with { EnableCheckpointing = false }).WritesCheckpoints);
        Assert.False(Plan(TrainerSettings.Default with { FastDevRun = 1 }).WritesCheckpoints);
    }

    [Fact]
    public void The_plan_is_built_from_datasets_as_the_trainer_reads_them()
    {
        LoopData data = LoopData.Of(StubLoop.Examples(10), validation: null, batchSize: 4, dropLast: true, shuffle: false);

        Assert.Equal(new LoopData(10, 0, 4) { DropLast = true, Shuffle = false }, data);
        Assert.Equal(2, data.TrainBatches);
    }
}
