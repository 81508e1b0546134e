namespace Conduit.Host.Cli;

/// <summary>The process exit codes of <c>conduit</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed (a run failed, a plugin was not found, ...).</summary>
    public const int Failure = 1;

    /// <summary>The command was not run: bad arguments or a bad job, reported before any work.</summary>
    public const int Usage = 2;
}
