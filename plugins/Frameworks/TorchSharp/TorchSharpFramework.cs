using System.Runtime.CompilerServices;
using Conduit.Frameworks.TorchSharp.Models;
using Conduit.Frameworks.TorchSharp.Training;

namespace Conduit.Frameworks.TorchSharp;

/// <summary>The TorchSharp (libtorch) framework adapter: trains models on the CPU.</summary>
/// <param name="architectures">Architectures model plugins add (<see cref="ITorchArchitecture"/>).</param>
internal sealed class TorchSharpFramework(IEnumerable<ITorchArchitecture> architectures) : ITrainingFramework
{
    // Plugins' architectures, and TorchScript modules saved by PyTorch.
    private readonly ITorchArchitecture[] _architectures = [.. architectures, new TorchScriptArchitecture()];

    /// <summary>The name jobs use for this framework.</summary>
    public const string FrameworkName = "torchsharp";

    /// <inheritdoc/>
    public string Name => FrameworkName;

    /// <summary>What its sessions export.</summary>
    internal static readonly string[] Formats = ["onnx", .. Export.StateDictFile.Formats];

    /// <inheritdoc/>
    public IReadOnlyList<string> ExportFormats => Formats;

    /// <inheritdoc/>
    public IReadOnlyList<string> ModelTypes => [.. ModelSpecReader.TypeNames, .. _architectures.Select(a => a.Name)];

    /// <inheritdoc/>
    /// <remarks>Every setting is validated before libtorch loads, so a bad job fails at once and names all its problems.</remarks>
    public ITrainingSession CreateTrainingSession(TrainingSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SessionPlan plan = SessionPlanReader.Read(options, _architectures);
        // Before libtorch allocates anything: a model that cannot fit is refused with the estimate.
        if (MemoryEstimate.Problem(plan.Model, options.BatchSize, options.MaxMemoryBytes) is { } tooBig)
        {
            options.Model.Problem(tooBig);
            throw new ArgumentException($"model: {tooBig}");
        }
        LibTorchNatives.EnsureLoaded();
        var before = SettingsProblems.Mark(options);
        TorchSharpTrainingSession session = Create(plan, options);
        // A plugin architecture reads its keys while it builds: only now is every key of the sections known.
        options.Model.RejectUnknown();
        options.Optimizer.RejectUnknown();
        List<string> problems = [.. SettingsProblems.Since(options, before)];
        if (problems.Count > 0)
        {
            session.Dispose();
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }
        return session;
    }

    // Kept apart so that nothing of TorchSharp runs before EnsureLoaded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TorchSharpTrainingSession Create(SessionPlan plan, TrainingSessionOptions options) => TorchSharpTrainingSession.Create(plan, options);
}
