using Conduit.Training;

namespace Conduit.Host.Training;

/// <summary>The callbacks' own states (EarlyStopping's patience, ModelCheckpoint's best), by callback name, kept in checkpoints.</summary>
internal static class CallbackStates
{
    public static Dictionary<string, string> Save(IEnumerable<ITrainerCallback> callbacks)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ITrainerCallback callback in callbacks)
        {
            if (callback.SaveState() is { } state)
            {
                states[callback.Name] = state;
            }
        }
        return states;
    }

    public static void Restore(IEnumerable<ITrainerCallback> callbacks, IReadOnlyDictionary<string, string> states)
    {
        foreach (ITrainerCallback callback in callbacks)
        {
            if (states.TryGetValue(callback.Name, out string? state))
            {
                callback.LoadState(state);
            }
        }
    }
}
