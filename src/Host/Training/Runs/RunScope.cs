using Conduit.Configuration;
using Conduit.Host.Jobs;
using Conduit.Host.Tracking;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training.Runs;

/// <summary>
/// A run's dependency-injection scope: experiment loggers and callbacks that plugins register as scoped services are
/// created in it, once per run, with the run's <see cref="RunContext"/>; disposing it disposes them.
/// </summary>
internal sealed class RunScope : IDisposable
{
    private readonly ConduitHost _host;
    private readonly IServiceScope _scope;

    private RunScope(ConduitHost host, IServiceScope scope, RunContext context, TrainerContext trainer)
    {
        _host = host;
        _scope = scope;
        Context = context;
        Trainer = trainer;
    }

    /// <summary>The run as its plugins see it.</summary>
    public RunContext Context { get; }

    /// <summary>The run's trainer context, bound when the trainer is built.</summary>
    public TrainerContext Trainer { get; }

    /// <summary>The scope's services.</summary>
    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>Opens the scope of run <paramref name="runId"/> of <paramref name="job"/>, whose settings <paramref name="settings"/> reads.</summary>
    public static RunScope Open(ConduitHost host, JobDefinition job, string runId, SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(job);
        var trainer = new TrainerContext();
        string root = job.ResolvePath(job.Trainer.DefaultRootDir);
        var context = new RunContext
        {
            RunId = runId,
            JobName = job.Name,
            RootDirectory = root,
            Settings = settings,
            LoggerDirectory = logger => RunFolders.For(root, job.Name, runId, settings.Section("loggers").Section(logger)),
        };
        IServiceScope scope = host.Services.CreateScope();
        RunContextSlot slot = scope.ServiceProvider.GetRequiredService<RunContextSlot>();
        slot.Context = context;
        slot.Trainer = trainer;
        return new RunScope(host, scope, context, trainer);
    }

    /// <summary>Every registered <typeparamref name="T"/>, created in this scope; a plugin whose service throws is marked and left out.</summary>
    public IReadOnlyList<T> ResolveAll<T>() where T : class => _host.Plugins.ResolveAll<T>(Services);

    /// <inheritdoc/>
    public void Dispose() => _scope.Dispose();
}

/// <summary>Holds the run a scope belongs to, so that <see cref="RunContext"/> resolves in it.</summary>
internal sealed class RunContextSlot
{
    public RunContext? Context { get; set; }

    public ITrainerContext? Trainer { get; set; }
}
