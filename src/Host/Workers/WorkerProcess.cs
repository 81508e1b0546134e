using System.Diagnostics;
using System.Text.Json;

namespace Conduit.Host.Workers;

/// <summary>
/// One worker process running one job, seen from the server: its events as they arrive, its heartbeat, and how it
/// ended. Commands go to its standard input; closing that (the server going away) also stops the job at a checkpoint.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Process _process;
    private readonly Queue<string> _errors = new();
    private WorkerEnd? _end;

    private WorkerProcess(Process process) => _process = process;

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>When it was last heard from (any line, the heartbeat included).</summary>
    public DateTimeOffset LastSeen { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>Its resident memory at the last heartbeat, in MiB.</summary>
    public long RssMb { get; private set; }

    /// <summary>Starts a worker on <paramref name="jobFile"/>; <paramref name="onEvent"/> gets each event (type, JSON data) in order.</summary>
    public static WorkerProcess Start(WorkerLaunch launch, string jobFile, bool resume, Action<string, string> onEvent)
    {
        var process = new Process { StartInfo = launch.For(jobFile, resume), EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data, onEvent);
        process.ErrorDataReceived += (_, e) => worker.OnError(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Sends <c>cancel</c> or <c>interrupt</c>; a worker that has gone already is not an error.</summary>
    public void Send(string command)
    {
        try
        {
            _process.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits until the process has exited and everything it wrote has been read.</summary>
    public async Task<WorkerExit> WaitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        string? lastError;
        lock (_errors)
        {
            lastError = _errors.LastOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? _errors.LastOrDefault();
        }
        return new WorkerExit(_process.Id, _process.ExitCode, _end, lastError);
    }

    /// <summary>Ends the process at once (the server is leaving and it would not stop).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose() => _process.Dispose();

    private void OnLine(string? line, Action<string, string> onEvent)
    {
        if (line is null || WorkerOutput.Parse(line) is not { } parsed)
        {
            return;
        }
        LastSeen = DateTimeOffset.UtcNow;
        switch (parsed.Type)
        {
            case "heartbeat":
                using (JsonDocument beat = JsonDocument.Parse(parsed.Data))
                {
                    RssMb = beat.RootElement.TryGetProperty("rssMb", out JsonElement rss) ? rss.GetInt64() : RssMb;
                }
                break;
            case "end":
                _end = JsonSerializer.Deserialize<WorkerEnd>(parsed.Data, Json);
                break;
            default:
                onEvent(parsed.Type, parsed.Data);
                break;
        }
    }

    private void OnError(string? line)
    {
        if (line is not { Length: > 0 })
        {
            return;
        }
        lock (_errors)
        {
            _errors.Enqueue(line.Trim());
            if (_errors.Count > 20)
            {
                _errors.Dequeue();
            }
        }
    }
}
