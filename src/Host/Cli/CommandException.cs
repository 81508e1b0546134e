namespace Conduit.Host.Cli;

/// <summary>Ends a command with a one-line message and an exit code; thrown where the problem is found.</summary>
public sealed class CommandException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    /// <summary>The exit code to end with.</summary>
    public int ExitCode { get; } = exitCode;
}
