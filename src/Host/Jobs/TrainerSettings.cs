using Conduit.Configuration;
namespace Conduit.Host.Jobs;

/// <summary>The <c>trainer</c> section of a job: Lightning's Trainer flags, under Lightning's names.</summary>
public sealed record TrainerSettings
{
    /// <summary><c>max_epochs</c>: stop after this many epochs; -1 for no limit (then <see cref="MaxSteps"/> must be set).</summary>
    public int MaxEpochs { get; init; }

    /// <summary><c>max_steps</c>: stop after this many optimizer steps; -1 for no limit.</summary>
    public long MaxSteps { get; init; }

    /// <summary><c>min_epochs</c>: early stopping cannot stop the run before this many epochs.</summary>
    public int MinEpochs { get; init; }

    /// <summary><c>limit_train_batches</c>: batches per training epoch (a count or a fraction).</summary>
    public BatchLimit LimitTrainBatches { get; init; }

    /// <summary><c>limit_val_batches</c>: batches per validation pass.</summary>
    public BatchLimit LimitValBatches { get; init; }

    /// <summary><c>limit_test_batches</c>: batches of the test pass.</summary>
    public BatchLimit LimitTestBatches { get; init; }

    /// <summary><c>fast_dev_run</c>: run this many train and validation batches once, without checkpoints (0: off; true means 1).</summary>
    public int FastDevRun { get; init; }

    /// <summary><c>overfit_batches</c>: train and validate on the same first batches, unshuffled (0: off).</summary>
    public BatchLimit OverfitBatches { get; init; }

    /// <summary><c>val_check_interval</c>: validate every this many training batches (a count) or this fraction of an epoch.</summary>
    public BatchLimit ValCheckInterval { get; init; }

    /// <summary><c>check_val_every_n_epoch</c>: validate every n epochs.</summary>
    public int CheckValEveryNEpoch { get; init; }

    /// <summary><c>accumulate_grad_batches</c>: step the optimizer every n batches.</summary>
    public int AccumulateGradBatches { get; init; }

    /// <summary><c>gradient_clip_val</c>: clip gradients to this value (0: off).</summary>
    public double GradientClipVal { get; init; }

    /// <summary><c>gradient_clip_algorithm</c>: <c>norm</c> or <c>value</c>.</summary>
    public required string GradientClipAlgorithm { get; init; }

    /// <summary><c>deterministic</c>: deterministic algorithms only, for bit-for-bit repeatable runs.</summary>
    public bool Deterministic { get; init; }

    /// <summary><c>seed</c>: seeds weights, dropout, shuffling and splits.</summary>
    public int Seed { get; init; }

    /// <summary><c>num_threads</c>: intra-op threads of the framework; 0 for its default.</summary>
    public int NumThreads { get; init; }

    /// <summary><c>accelerator</c>: <c>auto</c>, <c>cpu</c> or <c>cuda</c>.</summary>
    public required string Accelerator { get; init; }

    /// <summary><c>devices</c>: <c>auto</c>, a device count, or a device index list such as <c>0,1</c>.</summary>
    public required string Devices { get; init; }

    /// <summary><c>default_root_dir</c>: where checkpoints and logs of the job go (relative to the job file).</summary>
    public required string DefaultRootDir { get; init; }

    /// <summary><c>log_every_n_steps</c>: publish training metrics every n steps.</summary>
    public int LogEveryNSteps { get; init; }

    /// <summary><c>enable_checkpointing</c>: write checkpoints (a default ModelCheckpoint when none is configured).</summary>
    public bool EnableCheckpointing { get; init; }

    /// <summary><c>enable_progress_bar</c>: show progress.</summary>
    public bool EnableProgressBar { get; init; }

    /// <summary><c>enable_model_summary</c>: show the model summary table.</summary>
    public bool EnableModelSummary { get; init; }

    /// <summary>Every setting at its default: what an empty <c>trainer</c> section reads as.</summary>
    public static TrainerSettings Default { get; } = Read(new SettingsReader(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), "trainer"));

    /// <summary>Reads and validates the <c>trainer</c> section.</summary>
    public static TrainerSettings Read(SettingsReader trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        int fastDevRun = trainer.String("fast_dev_run", "0").ToLowerInvariant() switch
        {
            "true" => 1,
            "false" => 0,
            _ => trainer.Int("fast_dev_run", 0, 0, allowed: "true, false or a number of batches (0 or more)"),
        };
        // Each setting once: its key, its default and what it allows.
        var settings = new TrainerSettings
        {
            MaxEpochs = trainer.Int("max_epochs", 10, -1, allowed: "an integer of at least 1, or -1 for no limit"),
            MaxSteps = trainer.Long("max_steps", -1, -1, allowed: "an integer of at least 1, or -1 for no limit"),
            MinEpochs = trainer.Int("min_epochs", 0, 0),
            LimitTrainBatches = trainer.Limit("limit_train_batches", BatchLimit.All),
            LimitValBatches = trainer.Limit("limit_val_batches", BatchLimit.All),
            LimitTestBatches = trainer.Limit("limit_test_batches", BatchLimit.All),
            FastDevRun = fastDevRun,
            OverfitBatches = trainer.Limit("overfit_batches", BatchLimit.None),
            ValCheckInterval = trainer.Limit("val_check_interval", BatchLimit.All),
            CheckValEveryNEpoch = trainer.Int("check_val_every_n_epoch", 1, 1),
            AccumulateGradBatches = trainer.Int("accumulate_grad_batches", 1, 1),
            GradientClipVal = trainer.Double("gradient_clip_val", 0, SettingRange.NonNegative),
            GradientClipAlgorithm = trainer.Choice("gradient_clip_algorithm", "norm", "norm", "value"),
            Deterministic = trainer.Bool("deterministic", false),
            Seed = trainer.Int("seed", 42, 0),
            NumThreads = trainer.Int("num_threads", 0, 0),
            Accelerator = trainer.Choice("accelerator", "auto", "auto", "cpu", "cuda"),
            Devices = trainer.String("devices", "auto"),
            DefaultRootDir = trainer.String("default_root_dir", "runs"),
            LogEveryNSteps = trainer.Int("log_every_n_steps", 50, 1),
            EnableCheckpointing = trainer.Bool("enable_checkpointing", true),
            EnableProgressBar = trainer.Bool("enable_progress_bar", true),
            EnableModelSummary = trainer.Bool("enable_model_summary", true),
        };
        if (settings.MaxEpochs == 0)
        {
            trainer.Problem("max_epochs", "'0' is not allowed; expected an integer of at least 1, or -1 for no limit");
        }
        if (settings.MaxEpochs == -1 && settings.MaxSteps == -1)
        {
            trainer.Problem("max_epochs", "-1 (no limit) needs trainer.max_steps to be set, or the run would never end");
        }
        if (settings.Devices != "auto" && !settings.Devices.Split(',').All(d => int.TryParse(d.Trim(), out int i) && i >= 0))
        {
            trainer.Problem("devices", $"'{settings.Devices}' is not allowed; expected auto, a device count such as 1, or device indices such as 0,1");
        }
        return settings;
    }
}
