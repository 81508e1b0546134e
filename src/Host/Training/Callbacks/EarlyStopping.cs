using System.Globalization;
using System.Text.Json;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training.Callbacks;

/// <summary>
/// Lightning's EarlyStopping: when <c>monitor</c> has not improved by more than <c>min_delta</c> for
/// <c>patience</c> consecutive epochs, publishes <see cref="StopRun"/>.
/// </summary>
public sealed class EarlyStopping(string monitor, MonitorMode mode, int patience, double minDelta) : ITrainerCallback, ITrainerAware
{
    private IPublisher<StopRun>? _stop;
    private double? _best;
    private int _wait;

    /// <inheritdoc/>
    public string Name => "early_stopping";

    /// <summary>The best value seen.</summary>
    public double? Best => _best;

    void ITrainerAware.Attach(Trainer trainer, IServiceProvider services) => _stop = services.GetRequiredService<IPublisher<StopRun>>();

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
            _stop?.Publish(new StopRun(message.RunId, string.Create(CultureInfo.InvariantCulture,
                $"{monitor} did not improve by more than {minDelta} for {patience} epochs (best {_best:G6})"), Name));
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
