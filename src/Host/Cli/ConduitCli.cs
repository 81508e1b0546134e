using System.CommandLine;

namespace Conduit.Host.Cli;

/// <summary>The <c>conduit</c> command line.</summary>
public static class ConduitCli
{
    /// <summary>Runs <c>conduit</c> with <paramref name="args"/>, writing to <paramref name="console"/>.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var global = new GlobalOptions();
        var root = new RootCommand("Conduit: an ML host that trains, tracks, exports and serves models through plugins.");
        root.Options.Add(global.Plugins);
        root.Options.Add(global.Verbose);
        root.Options.Add(global.Locked);
        root.Options.Add(global.LockFile);
        root.Options.Add(global.MaxJobMemory);
        root.Subcommands.Add(PluginsCommands.Create(global, console));
        root.Subcommands.Add(DoctorCommand.Create(global, console));
        root.Subcommands.Add(RunCommand.Create(global, console));
        root.Subcommands.Add(RunsCommands.Create(console));
        root.Subcommands.Add(InferenceCommands.Export(global, console));
        root.Subcommands.Add(InferenceCommands.Models(global, console));
        root.Subcommands.Add(PredictCommand.Create(global, console));
        root.Subcommands.Add(ServeCommand.Create(global, console));
        root.Subcommands.Add(SweepCommand.Create(global, console));
        root.Subcommands.Add(Workers.WorkerCommand.Create(global));

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            console.WriteError($"{parse.Errors[0].Message} (see 'conduit {string.Join(' ', CommandPath(parse))} --help')");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Output, Error = console.Error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            console.WriteError(e.Message);
            return e.ExitCode;
        }
        catch (Plugins.Install.PluginInstallException e)
        {
            console.WriteError(e.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteError("canceled");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            console.WriteError($"{e.GetType().Name}: {e.Message}");
            if (parse.GetValue(global.Verbose))
            {
                console.Error.WriteLine(e);
            }
            return ExitCodes.Failure;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(result.Command.Name);
        }
        return names;
    }
}
