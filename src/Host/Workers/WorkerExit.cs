namespace Conduit.Host.Workers;

/// <summary>How a worker process ended: its exit code, the job's end when it reported one, and its last error line.</summary>
internal sealed record WorkerExit(int Pid, int ExitCode, WorkerEnd? End, string? LastError)
{
    // Signals a dying worker meets: a crash in native code, the out-of-memory killer, a kill.
    private static readonly Dictionary<int, string> Signals = new()
    {
        [2] = "SIGINT", [4] = "SIGILL", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [11] = "SIGSEGV", [15] = "SIGTERM",
    };

    /// <summary>One sentence: which process, and the signal or code it ended with.</summary>
    public string Describe()
    {
        // A process killed by a signal reports 128 + the signal's number.
        string how = ExitCode is > 128 and < 160
            ? $"was killed by signal {ExitCode - 128} ({Signals.GetValueOrDefault(ExitCode - 128, "unknown")}{(ExitCode == 137 ? ": kill -9 or the out-of-memory killer" : "")})"
            : $"exited with code {ExitCode}";
        return $"the worker process {Pid} {how} before the job ended{(LastError is { Length: > 0 } error ? $" ({error})" : "")}";
    }
}
