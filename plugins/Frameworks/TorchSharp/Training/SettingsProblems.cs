using Conduit.Configuration;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>The problems recorded in a session's model and optimizer settings since a mark (one record or two).</summary>
internal static class SettingsProblems
{
    public static (int Model, int Optimizer) Mark(TrainingSessionOptions options) => (options.Model.Problems.Count, options.Optimizer.Problems.Count);

    public static IEnumerable<string> Since(TrainingSessionOptions options, (int Model, int Optimizer) mark) =>
        options.Model.Problems.Skip(mark.Model).Concat(options.Optimizer.Problems.Skip(mark.Optimizer)).Distinct();
}
