using Conduit.Training;

namespace Conduit.Host.Training;

/// <summary>
/// The first exception a run's callbacks threw. Callbacks steer the loop (they write checkpoints and stop runs), so
/// unlike other bus subscribers one that throws is not skipped: the trainer ends the run failed at the next event.
/// </summary>
internal sealed class CallbackFaults
{
    private CallbackFailedException? _first;

    /// <summary>Records <paramref name="exception"/> from <paramref name="callback"/>'s <paramref name="hook"/>; false for what must not be caught.</summary>
    public bool Record(ITrainerCallback callback, string hook, Exception exception)
    {
        if (exception is OutOfMemoryException)
        {
            return false;
        }
        // A fault inside a nested publish (a callback that saves a checkpoint) is already recorded: keep the first.
        Interlocked.CompareExchange(ref _first, exception as CallbackFailedException ?? new CallbackFailedException(callback.Name, hook, exception), null);
        return true;
    }

    /// <summary>Throws the recorded fault, if any.</summary>
    public void ThrowIfAny()
    {
        if (Volatile.Read(ref _first) is { } first)
        {
            throw new CallbackFailedException(first.Callback, first.Hook, first.InnerException!);
        }
    }
}
