using System.CommandLine;
using Conduit.Host.Server;

namespace Conduit.Host.Cli;

/// <summary><c>conduit serve</c>: the same host and plugins as a service (jobs, live events, runs, model serving, dashboard).</summary>
internal static class ServeCommand
{
    /// <summary>The environment variable that holds the API key (kept off the command line, where <c>ps</c> shows it).</summary>
    public const string ApiKeyVariable = "CONDUIT_API_KEY";

    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (';'-separated). Loopback by default.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var store = new Option<string?>("--store") { Description = $"The experiment store and job queue (default: $CONDUIT_STORE, else {RunsCommands.DefaultStore}); jobs' files go beside it." };
        var workers = new Option<int>("--workers") { Description = "How many jobs train at once.", DefaultValueFactory = _ => 1 };
        var dataRoot = new Option<string?>("--data-root") { Description = "The folder submitted jobs' data paths resolve against and must stay inside (default: the current folder)." };
        var models = new Option<string[]>("--model") { Description = "Serve a model: NAME=PATH to an .onnx file or a checkpoint (repeatable).", AllowMultipleArgumentsPerToken = false };
        var maxBatch = new Option<int>("--max-batch-size") { Description = "The most predict requests gathered into one model call (1: batching off).", DefaultValueFactory = _ => 32 };
        var batchTimeout = new Option<double>("--batch-timeout-ms") { Description = "How long a batch waits for more requests.", DefaultValueFactory = _ => 2 };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "The largest request body accepted.", DefaultValueFactory = _ => 1 << 20 };
        var serve = new Command("serve", $"Run the host as a service: job API, live events, runs, model serving and a dashboard at /. Set ${ApiKeyVariable} to require an X-API-Key header.")
        {
            urls, store, workers, dataRoot, models, maxBatch, batchTimeout, maxBody,
        };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServerOptions
            {
                Urls = parse.GetValue(urls)!,
                StoreFile = Path.GetFullPath(parse.GetValue(store) ?? Environment.GetEnvironmentVariable("CONDUIT_STORE") ?? RunsCommands.DefaultStore),
                Workers = Positive(parse.GetValue(workers), "--workers"),
                DataRoot = Path.GetFullPath(parse.GetValue(dataRoot) ?? Directory.GetCurrentDirectory()),
                MaxBatchSize = Positive(parse.GetValue(maxBatch), "--max-batch-size"),
                BatchTimeout = TimeSpan.FromMilliseconds(NotNegative(parse.GetValue(batchTimeout), "--batch-timeout-ms")),
                MaxRequestBodyBytes = (long)NotNegative(parse.GetValue(maxBody), "--max-body-bytes"),
                ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null,
            };
            foreach (string model in parse.GetValue(models) ?? [])
            {
                int equals = model.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || equals == model.Length - 1)
                {
                    throw new CommandException($"--model '{model}': expected NAME=PATH, such as digits=runs/digits.onnx", ExitCodes.Usage);
                }
                options.Models[model[..equals]] = model[(equals + 1)..];
            }
            ConduitHostOptions hostOptions = ConduitServer.ForServing(global.ToHostOptions(parse));
            await using ConduitHost host = ConduitHost.Start(hostOptions);
            ConduitServer server;
            try
            {
                server = ConduitServer.Create(host, options, minimumLogLevel: hostOptions.MinimumLogLevel == Microsoft.Extensions.Logging.LogLevel.Debug ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Warning);
            }
            catch (ArgumentException e)
            {
                throw new CommandException(e.Message, ExitCodes.Usage);
            }
            await using (server)
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
                console.Output.WriteLine($"conduit serve: listening on {string.Join(", ", server.Addresses)} (store {options.StoreFile}{(options.ApiKey is null ? "" : ", API key required")}); Ctrl+C stops");
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return serve;
    }

    private static double NotNegative(double value, string option) =>
        value >= 0 && double.IsFinite(value) ? value : throw new CommandException($"{option}: {value}; expected 0 or more", ExitCodes.Usage);

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new CommandException($"{option}: {value}; expected a positive number", ExitCodes.Usage);
}
