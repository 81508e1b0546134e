using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary>Where a command writes: a rich console for people, JSON for programs, one-line errors on stderr.</summary>
public sealed class CliConsole
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Creates a console over <paramref name="output"/> and <paramref name="error"/>.</summary>
    public CliConsole(TextWriter output, TextWriter error, bool interactive)
    {
        Output = output;
        Error = error;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            // Redirected output has no width; tables should not wrap reasons at 80 columns in logs.
            Ansi.Profile.Width = 200;
        }
    }

    /// <summary>The process console: interactive when stdout is a terminal and neither CI nor NO_COLOR is set.</summary>
    public static CliConsole ForProcess() => new(Console.Out, Console.Error, IsInteractiveTerminal());

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Spectre.Console over <see cref="Output"/>.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>Writes <paramref name="value"/> as indented camelCase JSON to standard output.</summary>
    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Writes a one-line error to standard error.</summary>
    public void WriteError(string message) => Error.WriteLine($"conduit: error: {message.ReplaceLineEndings(" ")}");

    /// <summary>Whether stdout is a terminal a person watches.</summary>
    public static bool IsInteractiveTerminal() =>
        !Console.IsOutputRedirected
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        && Environment.GetEnvironmentVariable("NO_COLOR") is null
        && Environment.GetEnvironmentVariable("TERM") is not "dumb";
}
