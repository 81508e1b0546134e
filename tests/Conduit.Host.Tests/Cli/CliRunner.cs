using Conduit.Host.Cli;

namespace Conduit.Host.Tests.Cli;

/// <summary>Runs the real command line in-process, capturing what it writes.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await ConduitCli.RunAsync(args, new CliConsole(output, error, interactive: false));
        return new Result(code, output.ToString(), error.ToString());
    }
}
