using System.Diagnostics;

namespace Conduit.Host.Workers;

/// <summary>
/// A worker's health, sent every <c>interval</c> while it runs: its process, memory and uptime, so that the server
/// shows when it was last heard from and how large it has grown.
/// </summary>
internal sealed class WorkerHeartbeat : IDisposable
{
    private readonly Timer _timer;
    private readonly long _started = Stopwatch.GetTimestamp();

    public WorkerHeartbeat(WorkerOutput output, TimeSpan interval)
    {
        _timer = new Timer(_ =>
        {
            using var self = Process.GetCurrentProcess();
            output.Send("heartbeat", new
            {
                Environment.ProcessId,
                RssMb = self.WorkingSet64 / (1024 * 1024),
                PeakRssMb = self.PeakWorkingSet64 / (1024 * 1024),
                Seconds = Math.Round(Stopwatch.GetElapsedTime(_started).TotalSeconds, 1),
            });
        }, null, TimeSpan.Zero, interval);
    }

    public void Dispose() => _timer.Dispose();
}
