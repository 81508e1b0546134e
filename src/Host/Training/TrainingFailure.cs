namespace Conduit.Host.Training;

/// <summary>How a failed run's reason reads: one line, whatever the exception's message holds.</summary>
internal static class TrainingFailure
{
    /// <summary>The reason for <paramref name="exception"/>: a callback's fault names the callback; others are prefixed with their type.</summary>
    public static string Reason(Exception exception) =>
        exception is CallbackFailedException ? exception.Message : $"{exception.GetType().Name}: {OneLine(exception.Message)}";

    /// <summary>The first line of <paramref name="message"/>: native libraries (libtorch) append their stack to it.</summary>
    public static string OneLine(string message)
    {
        string trimmed = message.Trim();
        int end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end].TrimEnd();
    }
}
