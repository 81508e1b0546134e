using Conduit.Host.Server;

namespace Conduit.Host.Sweeps;

/// <summary>What a trial's job told its sweep: its run started, an epoch ended with the sweep's metric, or it ended.</summary>
internal abstract record TrialEvent(int Number)
{
    /// <summary>The trial's run started (or resumed) as <paramref name="RunId"/>.</summary>
    public sealed record Started(int Number, string RunId) : TrialEvent(Number);

    /// <summary>Epoch <paramref name="Epoch"/> (from 1) ended with the sweep's metric at <paramref name="Value"/>.</summary>
    public sealed record Reported(int Number, int Epoch, double Value) : TrialEvent(Number);

    /// <summary>The trial's job ended (or could not be submitted: then <paramref name="Job"/> is null and <paramref name="Reason"/> says why).</summary>
    public sealed record Ended(int Number, ServerJob? Job, string? Reason = null) : TrialEvent(Number);
}
