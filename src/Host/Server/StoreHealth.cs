using Microsoft.Extensions.Logging;

namespace Conduit.Host.Server;

/// <summary>
/// Whether the experiment store can be used: null while it can, else the one line that says why not (its file was
/// removed while the server ran), logged once when first noticed. Checked on each request that needs the store.
/// </summary>
public sealed partial class StoreHealth(ServerJobStore store, ILogger<StoreHealth> logger)
{
    private int _reported;

    /// <summary>Null while the store is usable; else why not, naming its file.</summary>
    public string? Problem
    {
        get
        {
            string? problem = store.Removed;
            if (problem is not null && Interlocked.Exchange(ref _reported, 1) == 0)
            {
                StoreRemoved(logger, problem);
            }
            return problem;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Problem}")]
    private static partial void StoreRemoved(ILogger logger, string problem);
}
