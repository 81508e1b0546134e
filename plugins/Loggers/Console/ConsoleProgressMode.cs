namespace Conduit.Loggers.Console;

/// <summary>How the console logger shows training progress.</summary>
public enum ConsoleProgressMode
{
    /// <summary>
    /// <see cref="Live"/> on an interactive terminal; <see cref="Plain"/> when output is redirected, or
    /// <c>CI</c>, <c>NO_COLOR</c> or <c>TERM=dumb</c> is set.
    /// </summary>
    Auto,

    /// <summary>One progress line redrawn in place, with colours.</summary>
    Live,

    /// <summary>
    /// Plain text for logs: a progress line at most every tenth of an epoch and one line per epoch, never a line per step.
    /// </summary>
    Plain,
}
