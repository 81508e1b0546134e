using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Export;
using Conduit.Frameworks.TorchSharp.Losses;
using Conduit.Frameworks.TorchSharp.Models;
using Conduit.Frameworks.TorchSharp.Schedulers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>
/// A model, its loss, optimizer and learning-rate schedule in TorchSharp, driven one batch at a time by the host's
/// trainer loop. Each step runs in its own dispose scope, so nothing a step creates outlives it.
/// </summary>
internal sealed partial class TorchSharpTrainingSession : ITrainingSession, IModelExporter
{
    private readonly ModelSpec _spec;
    private readonly string _optimizerName;
    private readonly Sequential _model;
    private readonly BuiltModel _built;
    private readonly Parameter[] _parameters;
    private readonly LossHead _head;
    private readonly OptimizerHelper _optimizer;
    private readonly ILearningRateSchedule _schedule;
    private readonly GradientClipping _clipping;
    private readonly int _accumulate;
    private readonly GeneratorTenant _generator;
    private readonly long[] _exampleShape;
    private long[] _batchShape;
    private bool _training = true;
    private bool _disposed;

    private TorchSharpTrainingSession(SessionPlan plan, TrainingSessionOptions options, GeneratorTenant generator, BuiltModel model)
    {
        _spec = plan.Model;
        _optimizerName = plan.Optimizer.DisplayName;
        _generator = generator;
        _model = model.Module;
        _built = model;
        _parameters = [.. _model.parameters()];
        _head = LossHead.Create(plan.Model.Loss);
        // The parameters as an array: the optimizer enumerates them on every step.
        _optimizer = (OptimizerHelper)Optimizers.OptimizerFactory.Create(plan.Optimizer, _parameters);
        _schedule = plan.Schedule([.. _optimizer.ParamGroups]);
        _clipping = plan.Clipping;
        _accumulate = options.AccumulateGradBatches;
        _exampleShape = [.. plan.Model.InputShape.Select(d => (long)d)];
        _batchShape = [0, .. _exampleShape];
        Summary = ModelSummaryBuilder.Summarize(model);
    }

    /// <summary>Builds the session of <paramref name="plan"/>; libtorch must be loaded.</summary>
    /// <exception cref="ArgumentException">The device is not available.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TorchSharpTrainingSession Create(SessionPlan plan, TrainingSessionOptions options)
    {
        if (plan.Device.IsCuda && !cuda.is_available())
        {
            throw new ArgumentException(
                $"device: '{plan.Device.Text}' is not available: the torchsharp plugin is built on libtorch-cpu-linux-x64 (libtorch for the CPU only), "
                + "so torch.cuda.is_available() is false; use cpu (trainer.accelerator: cpu)");
        }
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }
        DeterministicAlgorithms.Set(options.Deterministic);
        var generator = new GeneratorTenant();
        try
        {
            // Weights draw from the generator in construction order: same seed, same model.
            generator.Seed(options.Seed);
            BuiltModel built = ModelBuilder.Build(plan.Model);
            if (plan.Model.InitFrom is { } weights)
            {
                // After the seeded construction: the generator stands where it would without the file.
                try
                {
                    StateDictFile.Load(built.Module, weights);
                }
                catch
                {
                    built.Module.Dispose();
                    throw;
                }
            }
            return new TorchSharpTrainingSession(plan, options, generator, built);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public ModelSummary Summary { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> LearningRates
    {
        get
        {
            var groups = _optimizer.ParamGroups.ToList();
            var rates = new Dictionary<string, double>(groups.Count, StringComparer.Ordinal);
            for (int i = 0; i < groups.Count; i++)
            {
                string name = groups.Count == 1 ? $"lr-{_optimizerName}" : string.Create(CultureInfo.InvariantCulture, $"lr-{_optimizerName}/pg{i + 1}");
                rates[name] = groups[i].LearningRate;
            }
            return rates;
        }
    }

    /// <summary>The model's parameters in state-dict order (for diagnostics).</summary>
    internal IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public StepResult TrainStep(DataBatch batch, bool step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _generator.Enter();
        SetTraining(true);
        using DisposeScope scope = NewDisposeScope();
        int count = batch.Count;
        if (count == 1 && _spec.BatchNorm && _spec.Hidden.Count > 0)
        {
            // libtorch's own error ("Expected more than 1 value per channel") would not say what to change.
            throw new ArgumentException(
                "A training batch of 1 example cannot be normalised by the model's batch_norm layers; drop the last partial batch "
                + "(data.drop_last: true) or choose a batch_size that does not leave 1 example over.", nameof(batch));
        }
        Tensor features = Features(batch.Features, count);
        Tensor targets = _head.Targets(RequireTargets(batch), count, _spec.Outputs);
        Tensor output = _model.forward(features);
        Tensor loss = _head.Loss(output, targets);
        (_accumulate == 1 ? loss : loss.div(_accumulate)).backward();
        StepResult result;
        using (no_grad())
        {
            result = _head.Result(loss.item<float>(), count, output, targets);
        }
        if (step)
        {
            _clipping.Apply(_parameters);
            _optimizer.step();
            _schedule.OptimizerStepped();
            _optimizer.zero_grad();
        }
        return result;
    }

    /// <inheritdoc/>
    public StepResult EvaluateStep(DataBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        SetTraining(false);
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        int count = batch.Count;
        Tensor features = Features(batch.Features, count);
        Tensor targets = _head.Targets(RequireTargets(batch), count, _spec.Outputs);
        Tensor output = _model.forward(features);
        return _head.Result(_head.Loss(output, targets).item<float>(), count, output, targets);
    }

    /// <inheritdoc/>
    public TensorBuffer<float> Predict(ITensorBuffer features)
    {
        ArgumentNullException.ThrowIfNull(features);
        ObjectDisposedException.ThrowIf(_disposed, this);
        SetTraining(false);
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        int count = features.Shape.Rank == 0 ? 0 : features.Shape[0];
        Tensor predictions = _head.Predictions(_model.forward(Features(features, count))).contiguous();
        int width = checked((int)predictions.shape[1]);
        return new TensorBuffer<float>(predictions.data<float>().ToArray(), new TensorShape(count, width));
    }

    /// <inheritdoc/>
    public void Export(ModelExportRequest request, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!TorchSharpFramework.Formats.Contains(request.Format, StringComparer.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"The torchsharp adapter does not export '{request.Format}'; it exports {string.Join(", ", TorchSharpFramework.Formats)}.");
        }
        if (StateDictFile.Formats.Contains(request.Format, StringComparer.OrdinalIgnoreCase))
        {
            StateDictFile.Write(_model, request.Format.ToLowerInvariant(), destination);
            return;
        }
        OnnxModelWriter.Write(_built, _spec, request, destination);
    }

    /// <inheritdoc/>
    public void EndEpoch(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _schedule.EpochEnded(epoch, metrics);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _optimizer.Dispose();
        _model.Dispose();
        _generator.Dispose();
    }

    private void SetTraining(bool training)
    {
        // Switching walks every module through native calls: only when the mode changes.
        if (_training != training)
        {
            _model.train(training);
            _training = training;
        }
    }

    private Tensor Features(ITensorBuffer features, int count)
    {
        long size = _spec.InputSize;
        if (count == 0 || features.Shape.ElementCount != count * size)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The batch's features have shape {features.Shape}; the model takes [N, {string.Join(", ", _exampleShape)}] ({size} values per example, N at least 1)."),
                nameof(features));
        }
        if (_batchShape[0] != count)
        {
            _batchShape = [count, .. _exampleShape];
        }
        return BatchTensors.Float(features, _batchShape);
    }

    private static ITensorBuffer RequireTargets(DataBatch batch) =>
        batch.Targets ?? throw new ArgumentException("The batch has no targets; training and evaluation need labelled data.", nameof(batch));
}
