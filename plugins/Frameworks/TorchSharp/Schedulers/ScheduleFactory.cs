using static TorchSharp.torch.optim;

namespace Conduit.Frameworks.TorchSharp.Schedulers;

/// <summary>Creates a validated schedule for an optimizer's parameter groups, once the optimizer exists.</summary>
/// <param name="groups">The optimizer's parameter groups.</param>
internal delegate ILearningRateSchedule ScheduleFactory(IReadOnlyList<ILearningRateController> groups);
