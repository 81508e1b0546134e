using System.Diagnostics;

namespace Conduit.Benchmarks.Training;

/// <summary>Samples the process's resident set every few milliseconds and keeps the peak of the current phase.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public MemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 5);

    /// <summary>Starts a new phase and returns the peak of the previous one, in bytes.</summary>
    public long Restart()
    {
        Sample();
        return Interlocked.Exchange(ref _peak, 0);
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        long now = process.WorkingSet64;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
