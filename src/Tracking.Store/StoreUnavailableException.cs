namespace Conduit.Tracking.Store;

/// <summary>The experiment store cannot be used now: its file was removed, or another connection holds it locked.</summary>
/// <param name="message">One line naming the file and what to do.</param>
/// <param name="retryAfter">When it is worth trying again (a lock); null when it is not (a removed file).</param>
/// <param name="inner">The SQLite error, if any.</param>
public sealed class StoreUnavailableException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>When it is worth trying again; null when it is not.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Whether <paramref name="e"/> is SQLite's "another connection holds the lock" (BUSY or LOCKED), after the busy timeout.</summary>
    public static bool IsBusy(Microsoft.Data.Sqlite.SqliteException e) => e?.SqliteErrorCode is 5 or 6;
}
