using System.Globalization;
using System.Text.Json;
using Conduit.Messages;
using Conduit.Training;

namespace Conduit.Host.Training.Callbacks;

/// <summary>
/// Lightning's EarlyStopping: when <c>monitor</c> has not improved by more than <c>min_delta</c> for
/// <c>patience</c> consecutive epochs, asks the trainer to stop. It uses public contracts only.
/// </summary>
public sealed class EarlyStopping(ITrainerContext trainer, string monitor, MonitorMode mode, int patience, double minDelta) : ITrainerCallback
{
    private double? _best;
    private int _wait;

    /// <inheritdoc/>
    public string Name => "early_stopping";

    /// <summary>The best value seen.</summary>
    public double? Best => _best;

    /// <inheritdoc/>
    public void OnEpochEnded(EpochEnded message)
    {
        if (!message.Metrics.TryGetValue(monitor, out double value))
        {
            throw new InvalidOperationException(
                $"callbacks.early_stopping.monitor: '{monitor}' was not logged at the end of epoch {message.Epoch + 1}; logged: {string.Join(", ", message.Metrics.Keys.Order())}");
        }
        if (mode.Improves(value, _best, minDelta))
        {
            _best = value;
            _wait = 0;
            return;
        }
        if (++_wait >= patience)
        {
            trainer.RequestStop(string.Create(CultureInfo.InvariantCulture,
                $"{monitor} did not improve by more than {minDelta} for {patience} epochs (best {_best:G6})"), Name);
        }
    }

    /// <inheritdoc/>
    public string? SaveState() => JsonSerializer.Serialize(new State(_best, _wait));

    /// <inheritdoc/>
    public void LoadState(string state)
    {
        State? restored = JsonSerializer.Deserialize<State>(state);
        _best = restored?.Best;
        _wait = restored?.Wait ?? 0;
    }

    private sealed record State(double? Best, int Wait);
}
