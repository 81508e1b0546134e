using Microsoft.Extensions.Configuration;

namespace Conduit.Loggers.Console;

/// <summary>Where and how the console logger writes. Configured under <c>plugins:console</c> (<c>mode</c>, <c>width</c>).</summary>
public sealed class ConsoleLoggerOptions
{
    /// <summary>The configuration key of <see cref="Mode"/>: <c>auto</c>, <c>live</c> or <c>plain</c>.</summary>
    public const string ModeKey = "mode";

    /// <summary>The configuration key of <see cref="Width"/>.</summary>
    public const string WidthKey = "width";

    /// <summary>The writer to write to; <see langword="null"/> for <see cref="System.Console.Out"/>.</summary>
    public TextWriter? Output { get; set; }

    /// <summary>How progress is shown; <see cref="ConsoleProgressMode.Auto"/> decides from the terminal and the environment.</summary>
    public ConsoleProgressMode Mode { get; set; } = ConsoleProgressMode.Auto;

    /// <summary>The width in columns to lay tables out in; <see langword="null"/> for the terminal's width (200 when not a terminal).</summary>
    public int? Width { get; set; }

    /// <summary>The configuration key of <see cref="PlainInterval"/> (seconds).</summary>
    public const string PlainIntervalKey = "plain_interval";

    /// <summary>In plain mode, the shortest time between two progress lines: a log of short epochs holds only epoch lines.</summary>
    public TimeSpan PlainInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Reads <c>mode</c> and <c>width</c> from a plugin's configuration section.</summary>
    /// <exception cref="ArgumentException">A value is not one of the allowed ones; the message names the key, the value and what is allowed.</exception>
    public static ConsoleLoggerOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ConsoleLoggerOptions();
        string? mode = configuration[ModeKey];
        if (!string.IsNullOrWhiteSpace(mode))
        {
            options.Mode = mode.Trim().ToLowerInvariant() switch
            {
                "auto" => ConsoleProgressMode.Auto,
                "live" => ConsoleProgressMode.Live,
                "plain" => ConsoleProgressMode.Plain,
                _ => throw new ArgumentException($"plugins:console:{ModeKey} is '{mode}'; allowed values are auto, live and plain.", nameof(configuration)),
            };
        }
        string? width = configuration[WidthKey];
        if (!string.IsNullOrWhiteSpace(width))
        {
            if (!int.TryParse(width, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int w) || w < 40)
            {
                throw new ArgumentException($"plugins:console:{WidthKey} is '{width}'; allowed is a whole number of columns, 40 or more.", nameof(configuration));
            }
            options.Width = w;
        }
        string? interval = configuration[PlainIntervalKey];
        if (!string.IsNullOrWhiteSpace(interval))
        {
            if (!double.TryParse(interval, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) || seconds < 0)
            {
                throw new ArgumentException($"plugins:console:{PlainIntervalKey} is '{interval}'; allowed is a number of seconds, 0 or more.", nameof(configuration));
            }
            options.PlainInterval = TimeSpan.FromSeconds(seconds);
        }
        return options;
    }

    /// <summary>Whether progress is drawn live: the mode when it is explicit, otherwise what the terminal and environment allow.</summary>
    internal bool ResolveLive(bool outputRedirected, Func<string, string?> environment)
    {
        return Mode switch
        {
            ConsoleProgressMode.Live => true,
            ConsoleProgressMode.Plain => false,
            // A writer of our own (a file, a test) is never a terminal.
            _ => Output is null && IsInteractiveTerminal(outputRedirected, environment),
        };
    }

    /// <summary>
    /// Whether a terminal is interactive: output not redirected, and none of <c>CI</c> (true or 1), <c>NO_COLOR</c>
    /// (any non-empty value) or <c>TERM=dumb</c> set.
    /// </summary>
    internal static bool IsInteractiveTerminal(bool outputRedirected, Func<string, string?> environment)
    {
        if (outputRedirected)
        {
            return false;
        }
        string? ci = environment("CI");
        if (!string.IsNullOrWhiteSpace(ci) && !ci.Trim().Equals("false", StringComparison.OrdinalIgnoreCase) && ci.Trim() != "0")
        {
            return false;
        }
        if (!string.IsNullOrEmpty(environment("NO_COLOR")))
        {
            return false;
        }
        return !string.Equals(environment("TERM")?.Trim(), "dumb", StringComparison.OrdinalIgnoreCase);
    }
}
