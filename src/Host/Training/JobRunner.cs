using Conduit.Configuration;
using Conduit.Accelerators;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Checkpoints;
using Conduit.Host.Data;
using Conduit.Host.Inference;
using Conduit.Host.Jobs;
using Conduit.Host.Plugins;
using Conduit.Messages;
using Conduit.Host.Tracking;
using Conduit.Host.Training.Callbacks;
using Conduit.Tracking;
using Conduit.Training;
using Conduit.Host.Training.Runs;
using Conduit.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Training;

/// <summary>
/// Turns a job into a run: validates every setting, opens and splits the data, picks the device, builds the model
/// (all before the first batch, so a bad job fails fast with the key that is wrong), then fits and tests.
/// </summary>
public sealed partial class JobRunner(ConduitHost host)
{
    /// <summary>The framework a job uses when <c>model.framework</c> is not set.</summary>
    public const string DefaultFramework = "torchsharp";

    /// <summary>Where <paramref name="job"/>'s checkpoints go: <c>&lt;default_root_dir&gt;/&lt;name&gt;/checkpoints</c>.</summary>
    public static string CheckpointFolder(JobDefinition job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Path.Combine(job.ResolvePath(job.Trainer.DefaultRootDir), job.Name, "checkpoints");
    }

    /// <summary>Whether <paramref name="job"/> has a checkpoint to resume from (<c>--resume last</c> finds one).</summary>
    public static bool HasCheckpoint(JobDefinition job) =>
        CheckpointFolder(job) is var folder && Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.ckpt").Any();

    /// <summary>Validates and prepares <paramref name="job"/>; <paramref name="resume"/> is <c>last</c>, <c>best</c> or a path.</summary>
    /// <exception cref="JobValidationException">A setting, the data, the device or the checkpoint is not usable.</exception>
    public PreparedRun Prepare(JobDefinition job, string? resume = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        SettingsReader reader = Reader(job);
        JobParts parts = ReadSettings(job, reader);
        var (data, frameworkName, framework, source, _) = parts;
        Fail(job, reader);
        if (host.Plugins.FindOwner(framework!.GetType()) is { } owner)
        {
            NativePreload.Start(owner); // while the data loads
        }

        TrainingData prepared = TrainingData.Load(job, data, source!, reader.Section("data"));
        if (prepared.Streamed && bool.TryParse(job.Data.GetSection("split")["stratify"], out bool stratify) && stratify)
        {
            // Said, not silently dropped: a stream is split row by row, so class proportions are kept only on average.
            JobRunnerLog.StreamNotStratified(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger<JobRunner>(), job.Name);
        }
        DataSchema schema = prepared.Schema;
        // The trainer resolves the same plan from the same data: one rule for epoch length, validation and checkpoints.
        LoopPlan plan = LoopPlan.Resolve(job.Trainer, LoopData.Of(prepared.Train, prepared.Validation, data.BatchSize, data.DropLast, data.Shuffle));
        string checkpointFolder = CheckpointFolder(job);
        string? checkpoints = plan.WritesCheckpoints ? checkpointFolder : null;
        CheckpointStore.Found? found = resume is null ? null : FindCheckpoint(job, resume, checkpointFolder, frameworkName);
        RunScope scope = RunScope.Open(host, job, found?.Metadata.RunId ?? NewRunId(job), reader);
        try
        {
            // The first epoch's batches are gathered while the model is built (the trainer's first pass confirms the guess).
            (prepared.Train as PrefetchingDataset)?.ReadAhead(new BatchOptions(data.BatchSize, plan.Shuffle, job.Trainer.Seed, found?.Metadata.Epoch ?? 0, data.DropLast));
            return Prepare(job, reader, scope, parts, prepared, plan, checkpoints, found);
        }
        catch
        {
            scope.Dispose();
            TrainingData.Release(prepared.Train, prepared.Validation, prepared.Test);
            throw;
        }
    }

    // The run's scope is open: its callbacks and loggers, then the model.
    private PreparedRun Prepare(JobDefinition job, SettingsReader reader, RunScope scope, JobParts parts, TrainingData prepared, LoopPlan plan,
        string? checkpoints, CheckpointStore.Found? found)
    {
        var (data, frameworkName, framework, _, device) = parts;
        DataSchema schema = prepared.Schema;
        List<ITrainerCallback> callbacks = CallbackFactory.Create(reader, job, checkpoints, CallbackFactory.LoggedMetrics(schema.Target, plan.ValidationBatches > 0),
            scope.Trainer, host.Services.GetRequiredService<IPublisher<MetricsLogged>>());
        callbacks.AddRange(scope.ResolveAll<ITrainerCallback>());
        List<IExperimentLogger> loggers = LoggerSelection.Select(reader, scope.ResolveAll<IExperimentLogger>());
        ExportSettings? export = ExportSettings.Read(reader, framework, Path.Combine(job.ResolvePath(job.Trainer.DefaultRootDir), job.Name), job.ResolvePath);
        if (export is not null && checkpoints is null)
        {
            reader.Problem("export", "exports the best checkpoint, but this job writes none (trainer.enable_checkpointing is false or fast_dev_run is set)");
        }
        Fail(job, reader);

        var options = new TrainingSessionOptions
        {
            Model = reader.Section("model"),
            Optimizer = reader.Section("optimizer"),
            Schema = schema,
            Device = device,
            Seed = job.Trainer.Seed,
            Threads = job.Trainer.NumThreads,
            Deterministic = job.Trainer.Deterministic,
            AccumulateGradBatches = job.Trainer.AccumulateGradBatches,
            GradientClipValue = job.Trainer.GradientClipVal,
            GradientClipAlgorithm = job.Trainer.GradientClipAlgorithm,
            StepsPerEpoch = plan.OptimizerStepsPerEpoch,
            MaxEpochs = plan.MaxEpochs,
            BatchSize = data.BatchSize,
            MaxMemoryBytes = host.Services.GetRequiredService<JobLimits>().MaxMemoryBytes,
        };
        ITrainingSession session;
        try
        {
            session = framework!.CreateTrainingSession(options);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException or InvalidDataException)
        {
            // A framework records the problems of the model and optimizer sections in the reader; anything else is one line.
            throw new JobValidationException(job.Source, reader.Problems.Count > 0 ? reader.Problems : e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        // Every key of the job has been read by now: what nobody read is a misspelling.
        reader.Raw("inference");
        reader.RejectUnknown();
        if (reader.Problems.Count > 0)
        {
            session.Dispose();
            Fail(job, reader);
        }
        if (found is not null)
        {
            try
            {
                using var state = new MemoryStream(found.State, writable: false);
                session.LoadState(state);
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException)
            {
                session.Dispose();
                throw new JobValidationException(job.Source, [$"--resume: {found.Path} does not fit this job's model: {e.Message}"]);
            }
        }

        var run = new TrainerRun(scope.Context.RunId, job, frameworkName, schema, data.BatchSize, callbacks)
        {
            Context = scope.Trainer,
            Shuffle = data.Shuffle,
            DropLast = data.DropLast,
            CheckpointDirectory = checkpoints,
            Normalizer = data.Normalize == NormalizationKind.None ? null : prepared.Normalizer.ToJson(),
        };
        return new PreparedRun(run, session, prepared.Train, prepared.Validation, prepared.Test, found)
        {
            Scope = scope,
            Device = device,
            Loggers = loggers,
            Export = export,
        };
    }

    private static CheckpointStore.Found FindCheckpoint(JobDefinition job, string resume, string checkpointFolder, string frameworkName)
    {
        CheckpointStore.Found found;
        try
        {
            found = CheckpointStore.Resolve(resume, checkpointFolder);
        }
        catch (CheckpointCorruptException e)
        {
            throw new JobValidationException(job.Source, [e.Message]);
        }
        if (found.Metadata.Framework != frameworkName)
        {
            throw new JobValidationException(job.Source, [$"--resume: {found.Path} holds a {found.Metadata.Framework} model, but the job uses {frameworkName}"]);
        }
        return found;
    }

    /// <summary>
    /// Checks every setting that can be checked without reading the data or building the model (sections, framework,
    /// model type, data source, device, loggers, export): what a server checks before it accepts a job.
    /// </summary>
    /// <exception cref="JobValidationException">A setting is not usable; every problem, each naming its key.</exception>
    public void Validate(JobDefinition job)
    {
        ArgumentNullException.ThrowIfNull(job);
        SettingsReader reader = Reader(job);
        JobParts parts = ReadSettings(job, reader);
        using (RunScope scope = RunScope.Open(host, job, "validation", reader))
        {
            LoggerSelection.Select(reader, scope.ResolveAll<IExperimentLogger>());
            CallbackFactory.Create(reader, job, null, [.. CallbackFactory.LoggedMetrics(TargetKind.Classification, true).Union(CallbackFactory.LoggedMetrics(TargetKind.Regression, true))],
                scope.Trainer, host.Services.GetRequiredService<IPublisher<MetricsLogged>>());
        }
        ExportSettings.Read(reader, parts.Framework, ".", job.ResolvePath);
        // The model's and the source's keys are theirs to check when the job is prepared; the rest is checked now.
        foreach (string section in (string[])["model", "optimizer", "data", "inference"])
        {
            reader.Raw(section);
        }
        reader.RejectUnknown();
        Fail(job, reader);
    }

    // One reader per preparation: it records every key read, so the unknown ones are found at the end.
    private static SettingsReader Reader(JobDefinition job)
    {
        var reader = new SettingsReader(job.Configuration, "", Path.GetDirectoryName(job.Source));
        reader.String("name");
        TrainerSettings.Read(reader.Section("trainer"));
        reader.Raw("plugins"); // each plugin reads its own section
        return reader;
    }

    // What a job's settings resolve to; Framework and Source are null only when a problem says why.
    private sealed record JobParts(DataSettings Data, string FrameworkName, ITrainingFramework? Framework, IDataSource? Source, string Device);

    private JobParts ReadSettings(JobDefinition job, SettingsReader reader)
    {
        DataSettings data = DataSettings.Read(reader.Section("data"), job.Trainer.Seed);

        string frameworkName = reader.Section("model").String("framework", DefaultFramework);
        var frameworks = host.Plugins.ResolveAll<ITrainingFramework>(host.Services);
        ITrainingFramework? framework = frameworks.FirstOrDefault(f => f.Name == frameworkName);
        if (framework is null)
        {
            reader.Problem("model.framework", NotInstalled(frameworkName, frameworks.Select(f => f.Name)));
        }
        else if (reader.Section("model").String("type") is { } type && framework.ModelTypes.Count > 0 && !framework.ModelTypes.Contains(type))
        {
            reader.Problem("model.type", $"'{type}' is not allowed; expected one of {string.Join(", ", framework.ModelTypes)}");
        }
        var sources = host.Plugins.ResolveAll<IDataSource>(host.Services);
        IDataSource? source = sources.FirstOrDefault(s => s.Name == data.Source);
        if (source is null && data.Source.Length > 0)
        {
            reader.Problem("data.source", NotInstalled(data.Source, sources.Select(s => s.Name)));
        }
        string device = "cpu";
        try
        {
            device = AcceleratorSelector.Select(job.Trainer.Accelerator, job.Trainer.Devices, host.Plugins.ResolveAll<IAccelerator>(host.Services));
        }
        catch (ArgumentException e)
        {
            reader.Problem("trainer", e.Message);
        }
        return new JobParts(data, frameworkName, framework, source, device);
    }

    private static void Fail(JobDefinition job, SettingsReader reader)
    {
        if (reader.Problems.Count > 0)
        {
            throw new JobValidationException(job.Source, reader.Problems);
        }
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.DefaultIfEmpty("none"));

    // Said with where plugins come from: an installed tool carries only the small ones.
    private static string NotInstalled(string name, IEnumerable<string> available) =>
        $"'{name}' is not installed; available: {Names(available)}; {Plugins.Install.PluginPackageRequest.InstallHint(name)}";

    private static string NewRunId(JobDefinition job) => $"{job.Name}-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
}
