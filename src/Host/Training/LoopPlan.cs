using Conduit.Host.Jobs;

namespace Conduit.Host.Training;

/// <summary>
/// The trainer's flags resolved once against the data, the way Lightning's trainer setup rewrites its debug flags:
/// <c>fast_dev_run</c> becomes N batches of one epoch, without max_steps, checkpoints or shuffling;
/// <c>overfit_batches</c> becomes the same first batches, unshuffled, for training and validation. The loop, the
/// session's schedules and the checkpoint decision all read this plan, never the flags.
/// </summary>
public sealed record LoopPlan
{
    /// <summary>Training batches per epoch (<see cref="LoopData.UnknownBatches"/>: until the data ends).</summary>
    public required long TrainBatches { get; init; }

    /// <summary>Whether the training data's size, and so the epoch's length, is known.</summary>
    public bool EpochLengthKnown { get; init; } = true;

    /// <summary>Batches per validation pass; 0: no validation.</summary>
    public long ValidationBatches { get; init; }

    /// <summary>Whether validation reads the training data (<c>overfit_batches</c>) instead of the validation data.</summary>
    public bool ValidatesOnTrainingData { get; init; }

    /// <summary>Whether training batches are shuffled (per epoch, with the seed).</summary>
    public bool Shuffle { get; init; }

    /// <summary>The epoch limit; -1: none.</summary>
    public int MaxEpochs { get; init; } = -1;

    /// <summary>The optimizer step limit; -1: none.</summary>
    public long MaxSteps { get; init; } = -1;

    /// <summary>Epochs before which a stop request is ignored.</summary>
    public int MinEpochs { get; init; }

    /// <summary>Validate after every this many training batches inside an epoch; 0: only at the epoch's end.</summary>
    public long ValidationInterval { get; init; }

    /// <summary>Validate in every n-th epoch.</summary>
    public int CheckValEveryNEpoch { get; init; } = 1;

    /// <summary>Batches whose gradients make one optimizer step.</summary>
    public int AccumulateGradBatches { get; init; } = 1;

    /// <summary>Publish the training loss every n optimizer steps.</summary>
    public int LogEveryNSteps { get; init; } = 50;

    /// <summary>Whether the run writes checkpoints.</summary>
    public bool WritesCheckpoints { get; init; }

    /// <summary>Optimizer steps per epoch, the epoch's last, shorter group included; 0 when the epoch's length is unknown.</summary>
    public long OptimizerStepsPerEpoch => EpochLengthKnown ? (TrainBatches + AccumulateGradBatches - 1) / AccumulateGradBatches : 0;

    /// <summary>Resolves <paramref name="settings"/> against <paramref name="data"/>.</summary>
    public static LoopPlan Resolve(TrainerSettings settings, LoopData data)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        int devRun = settings.FastDevRun;
        bool overfit = !settings.OverfitBatches.IsZero;
        long train = devRun > 0 ? Math.Min(devRun, data.TrainBatches)
            : overfit ? settings.OverfitBatches.Resolve(data.TrainBatches)
            : settings.LimitTrainBatches.Resolve(data.TrainBatches);
        // Validation reads every batch, so overfitting validates on the training data's batches with none dropped.
        long validationAvailable = overfit ? LoopData.BatchCount(data.TrainExamples, data.BatchSize, dropLast: false) : data.ValidationBatches;
        long validation = devRun > 0 ? Math.Min(devRun, validationAvailable)
            : overfit ? train
            : settings.LimitValBatches.Resolve(validationAvailable);
        return new LoopPlan
        {
            TrainBatches = train,
            EpochLengthKnown = data.TrainExamples is not null,
            ValidationBatches = validation,
            ValidatesOnTrainingData = overfit,
            Shuffle = data.Shuffle && !overfit && devRun == 0,
            MaxEpochs = devRun > 0 ? 1 : settings.MaxEpochs,
            MaxSteps = devRun > 0 ? -1 : settings.MaxSteps,
            MinEpochs = settings.MinEpochs,
            ValidationInterval = Interval(settings.ValCheckInterval, train),
            CheckValEveryNEpoch = settings.CheckValEveryNEpoch,
            AccumulateGradBatches = settings.AccumulateGradBatches,
            LogEveryNSteps = settings.LogEveryNSteps,
            WritesCheckpoints = settings.EnableCheckpointing && devRun == 0,
        };
    }

    /// <summary>Whether <paramref name="epoch"/> is past the epoch limit.</summary>
    public bool EpochsDone(int epoch) => MaxEpochs >= 0 && epoch >= MaxEpochs;

    /// <summary>Whether <paramref name="globalStep"/> reached the step limit.</summary>
    public bool StepsDone(long globalStep) => MaxSteps >= 0 && globalStep >= MaxSteps;

    /// <summary>Whether an epoch with <paramref name="batchesDone"/> trained batches is complete.</summary>
    public bool EpochDone(long batchesDone) => batchesDone >= TrainBatches;

    /// <summary>Whether the optimizer steps after batch <paramref name="batch"/> (from 0): a full group, or the epoch's last batch.</summary>
    public bool StepsAfter(long batch) => (batch + 1) % AccumulateGradBatches == 0 || batch + 1 == TrainBatches;

    /// <summary>Whether to validate inside <paramref name="epoch"/> once <paramref name="batchesDone"/> batches are trained (the epoch's end validates anyway).</summary>
    public bool ValidatesAfter(long batchesDone, int epoch) =>
        ValidationInterval > 0 && batchesDone % ValidationInterval == 0 && batchesDone < TrainBatches && ValidatesAtEndOf(epoch);

    /// <summary>Whether <paramref name="epoch"/> (from 0) ends with a validation pass.</summary>
    public bool ValidatesAtEndOf(int epoch) => ValidationBatches > 0 && (epoch + 1) % CheckValEveryNEpoch == 0;

    // val_check_interval: a count of batches, or a fraction (< 1) of the epoch; 1.0 means at the epoch's end only.
    private static long Interval(BatchLimit interval, long trainBatches) =>
        interval.Count is long count ? count
        : interval.Fraction is double f && f < 1.0 ? Math.Max(1, (long)Math.Floor(trainBatches * f))
        : 0;
}
