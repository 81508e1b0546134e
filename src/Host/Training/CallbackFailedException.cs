namespace Conduit.Host.Training;

/// <summary>A trainer callback threw in one of its hooks; the message names the callback, the hook and what it threw.</summary>
public sealed class CallbackFailedException(string callback, string hook, Exception inner)
    : Exception($"callback '{callback}' failed in {hook}: {TrainingFailure.OneLine(inner.Message)}", inner)
{
    /// <summary>The callback's name.</summary>
    public string Callback { get; } = callback;

    /// <summary>The hook that threw (<c>OnEpochEnded</c>, ...).</summary>
    public string Hook { get; } = hook;
}
