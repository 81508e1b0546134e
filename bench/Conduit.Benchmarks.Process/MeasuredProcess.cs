using System.Diagnostics;
using System.Globalization;
using ChildProcess = System.Diagnostics.Process;

namespace Conduit.Benchmarks.Process;

/// <summary>One finished child process: its wall time, its peak resident set and what it wrote on standard output.</summary>
internal sealed record Measurement(double Seconds, long PeakBytes, string Output);

/// <summary>Runs a command as a child process with its output on pipes (never a terminal) and measures it from outside.</summary>
internal static class MeasuredProcess
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs <paramref name="command"/> from the repository root; a non-zero exit is an error with its output.</summary>
    public static async Task<Measurement> RunAsync(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        long started = Stopwatch.GetTimestamp();
        using ChildProcess process = ChildProcess.Start(start)
            ?? throw new InvalidOperationException($"{command} did not start");
        // Both pipes are drained as the child writes, so that a full pipe never stalls it.
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        Task exited = process.WaitForExitAsync();
        long peak = 0;
        while (!exited.IsCompleted)
        {
            // The kernel keeps the high-water mark, so polling loses at most a peak reached in the last interval.
            peak = Math.Max(peak, HighWaterMark(process.Id));
            await Task.WhenAny(exited, Task.Delay(PollInterval)).ConfigureAwait(false);
        }
        await exited.ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        string stdout = await output.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:{Environment.NewLine}{await errors.ConfigureAwait(false)}{stdout}");
        }
        return new Measurement(seconds, peak, stdout);
    }

    // VmHWM of /proc/PID/status, in bytes; 0 once the process is gone.
    private static long HighWaterMark(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended between the check and the read.
        }
        return 0;
    }
}
