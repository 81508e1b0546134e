namespace Conduit.Host.Sweeps.EarlyStop;

/// <summary>Why a trial stops early: the epoch it was judged at, the loss it had to beat, and against how many trials.</summary>
/// <param name="Epoch">The epoch (a rung for ASHA) at which it was judged.</param>
/// <param name="Cutoff">The loss it needed to reach (at most) to go on.</param>
/// <param name="Compared">How many trials' results at that epoch the cutoff was taken from.</param>
public sealed record PruneDecision(int Epoch, double Cutoff, int Compared);

/// <summary>Stops trials that are unlikely to end well, judged on their loss after each epoch.</summary>
public interface IEarlyStopRule
{
    /// <summary>
    /// Records that trial <paramref name="trial"/> reached <paramref name="loss"/> (lower is better) at the end of
    /// <paramref name="epoch"/> (from 1), and says whether it should stop now. Reports arrive in the order they happened;
    /// a controller that restarts replays them in that order (ignoring the answers) to rebuild the rule's state.
    /// </summary>
    PruneDecision? Report(int trial, int epoch, double loss);
}
