using Conduit.Frameworks.TorchSharp.Models;
using Conduit.Frameworks.TorchSharp.Optimizers;
using Conduit.Frameworks.TorchSharp.Schedulers;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>Everything a session is built from, validated before libtorch is touched.</summary>
/// <param name="Model">The model.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="Schedule">Creates the learning-rate schedule once the optimizer exists.</param>
/// <param name="Clipping">The gradient clipping.</param>
/// <param name="Device">The device.</param>
internal sealed record SessionPlan(ModelSpec Model, OptimizerSpec Optimizer, ScheduleFactory Schedule, GradientClipping Clipping, DeviceRequest Device);
