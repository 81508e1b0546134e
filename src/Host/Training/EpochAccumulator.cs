using Conduit.Data;
using Conduit.Frameworks;

namespace Conduit.Host.Training;

/// <summary>Sums batch results into an epoch's (or a validation pass's) metrics, weighted by batch size.</summary>
public sealed class EpochAccumulator
{
    private State _state = new(0, 0, 0, 0, 0, 0);

    /// <summary>The running sums; saved in checkpoints so that a resumed epoch reports what an uninterrupted one would.</summary>
    /// <param name="LossSum">Sum of batch loss × batch size.</param>
    /// <param name="Count">Examples seen.</param>
    /// <param name="Correct">Correct classifications.</param>
    /// <param name="AbsoluteError">Sum of absolute errors.</param>
    /// <param name="SquaredError">Sum of squared errors.</param>
    /// <param name="Batches">Batches seen.</param>
    public sealed record State(double LossSum, long Count, long Correct, double AbsoluteError, double SquaredError, long Batches);

    /// <summary>The current sums.</summary>
    public State Snapshot => _state;

    /// <summary>Whether nothing was added.</summary>
    public bool IsEmpty => _state.Count == 0;

    /// <summary>Replaces the sums (resume).</summary>
    public void Restore(State state) => _state = state;

    /// <summary>Starts over.</summary>
    public void Reset() => _state = new(0, 0, 0, 0, 0, 0);

    /// <summary>Adds one batch.</summary>
    public void Add(in StepResult result) => _state = new(
        _state.LossSum + result.Loss * result.Count,
        _state.Count + result.Count,
        _state.Correct + result.Correct,
        _state.AbsoluteError + result.AbsoluteError,
        _state.SquaredError + result.SquaredError,
        _state.Batches + 1);

    /// <summary>The metrics, named <c>{prefix}_loss</c>, <c>{prefix}_acc</c> or <c>{prefix}_mae</c>/<c>{prefix}_rmse</c>.</summary>
    public Dictionary<string, double> Metrics(string prefix, TargetKind target, string suffix = "")
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (_state.Count == 0)
        {
            return metrics;
        }
        metrics[$"{prefix}_loss{suffix}"] = _state.LossSum / _state.Count;
        if (target == TargetKind.Classification)
        {
            metrics[$"{prefix}_acc{suffix}"] = (double)_state.Correct / _state.Count;
        }
        else if (target == TargetKind.Regression)
        {
            metrics[$"{prefix}_mae{suffix}"] = _state.AbsoluteError / _state.Count;
            metrics[$"{prefix}_rmse{suffix}"] = Math.Sqrt(_state.SquaredError / _state.Count);
        }
        return metrics;
    }
}
