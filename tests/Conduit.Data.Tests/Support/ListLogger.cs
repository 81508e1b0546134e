using Microsoft.Extensions.Logging;

namespace Conduit.Data.Tests.Support;

/// <summary>A logger that keeps what is logged, to assert on it.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    /// <summary>Every message, with its level.</summary>
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    /// <summary>The warning messages.</summary>
    public IEnumerable<string> Warnings => Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message);

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception)));
}
