using System.CommandLine;
using System.Globalization;
using Conduit.Host.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Conduit.Host.Cli;

/// <summary><c>conduit serve</c>: the host as a service (job API, live events, model serving, dashboard).</summary>
internal static class ServeCommand
{
    /// <summary>The environment variable that sets the API key (so it stays out of the process list).</summary>
    public const string ApiKeyVariable = "CONDUIT_API_KEY";

    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback unless you say otherwise).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var store = new Option<string?>("--store") { Description = $"The experiment store and job queue (default: $CONDUIT_STORE, else {RunsCommands.DefaultStore}); jobs' files go beside it." };
        var dataRoot = new Option<string?>("--data-root") { Description = "The folder jobs may read data from (default: the current folder)." };
        var workers = new Option<int>("--workers") { Description = "Jobs that run at once, each in a worker process of its own.", DefaultValueFactory = _ => 1 };
        var nats = new Option<string?>("--nats") { Description = "Queue jobs on this NATS server's JetStream (nats://host:port) for conduit worker --nats on any machine, instead of local worker processes." };
        var ackWait = new Option<int>("--ack-wait") { Description = "With --nats: seconds a worker may go unheard before its job goes to another worker.", DefaultValueFactory = _ => 30 };
        var attempts = new Option<int>("--max-attempts") { Description = "Worker processes a job may start in: a job whose worker dies continues from its last checkpoint until then.", DefaultValueFactory = _ => 3 };
        var models = new Option<string[]>("--model") { Description = "Serve a model: NAME=FILE (.onnx or checkpoint); repeatable.", AllowMultipleArgumentsPerToken = false };
        var maxBatch = new Option<int>("--max-batch-size") { Description = "Most examples per model call when gathering predict requests; 1 turns batching off.", DefaultValueFactory = _ => 64 };
        var maxWait = new Option<double>("--max-batch-wait-ms") { Description = "How long a request waits for others to batch with; 0 (default) batches what queued while the model ran.", DefaultValueFactory = _ => 0 };
        var maxBody = new Option<long>("--max-body-kb") { Description = "The largest request body accepted.", DefaultValueFactory = _ => 1024 };
        var serve = new Command("serve", $"Run the host as a service: job API with live events, model serving, dashboard at /. The API key comes from ${ApiKeyVariable}.")
        {
            urls, store, dataRoot, workers, attempts, nats, ackWait, models, maxBatch, maxWait, maxBody,
        };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServerOptions
            {
                Urls = parse.GetValue(urls)!,
                StorePath = parse.GetValue(store) ?? Environment.GetEnvironmentVariable("CONDUIT_STORE") ?? RunsCommands.DefaultStore,
                DataRoot = parse.GetValue(dataRoot) ?? Environment.CurrentDirectory,
                Workers = Positive(parse.GetValue(workers), "--workers"),
                MaxAttempts = Positive(parse.GetValue(attempts), "--max-attempts"),
                NatsUrl = parse.GetValue(nats),
                AckWait = TimeSpan.FromSeconds(Positive(parse.GetValue(ackWait), "--ack-wait")),
                ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable),
                MaxRequestBodyBytes = Positive(parse.GetValue(maxBody), "--max-body-kb") * 1024,
                Batching = new BatchingOptions(Positive(parse.GetValue(maxBatch), "--max-batch-size"), TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(maxWait)))),
                Host = global.ToHostOptions(parse),
            };
            // A server with a lock file beside it runs locked, --locked or not.
            if (options.Host.Plugins.Lock is null && File.Exists(parse.GetValue(global.LockFile)))
            {
                options.Host.Plugins.Lock = GlobalOptions.ReadLock(parse.GetValue(global.LockFile)!);
            }
            if (!Directory.Exists(options.DataRoot))
            {
                throw new CommandException($"--data-root: '{options.DataRoot}' does not exist", ExitCodes.Usage);
            }
            foreach (string model in parse.GetValue(models) ?? [])
            {
                int equals = model.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || !File.Exists(model[(equals + 1)..]))
                {
                    throw new CommandException($"--model: '{model}' is not NAME=FILE of an existing model file", ExitCodes.Usage);
                }
                options.Models[model[..equals]] = Path.GetFullPath(model[(equals + 1)..]);
            }
            await using WebApplication app = ConduitServer.Build(options);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Kestrel's AddressInUseException is an IOException: "Failed to bind to address http://127.0.0.1:8080: address already in use."
                throw new CommandException($"--urls: {e.Message.TrimEnd('.')}; choose another port or stop what listens there", ExitCodes.Failure);
            }
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"conduit: serving on {string.Join(", ", app.Urls)} (store {options.StorePath}, {options.Workers} worker(s){(options.ApiKey is null ? "" : ", API key required")}); Ctrl+C stops"));
            await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return serve;
    }

    private static int Positive(int value, string name) => value >= 1 ? value : throw new CommandException($"{name}: {value} is not allowed; expected 1 or more", ExitCodes.Usage);

    private static long Positive(long value, string name) => value >= 1 ? value : throw new CommandException($"{name}: {value} is not allowed; expected 1 or more", ExitCodes.Usage);
}
