using Conduit.Host.Jobs;
using Conduit.Host.Server;
using Conduit.Host.Training;

namespace Conduit.Host.Sweeps;

/// <summary>
/// Checks a sweep before any trial starts: its first trial's job goes through the checks every submitted job goes
/// through (and, with <c>prepare</c>, is prepared as a worker would: the model's and the data's keys, the data read),
/// so a misspelt parameter path or an impossible value is refused once, naming its key, instead of failing every trial.
/// </summary>
internal static class SweepCheck
{
    /// <exception cref="JobValidationException">The sweep's job, with its first parameters, cannot run.</exception>
    public static void Run(SweepDefinition sweep, JobDocuments documents, ConduitHost host, bool prepare)
    {
        Search.ParameterSet first = sweep.CreateSearch().Suggest(0, [])
            ?? throw new JobValidationException(sweep.Name, ["parameters: give no parameter set to try"]);
        string id = $"check-{Guid.NewGuid():N}";
        try
        {
            JobDefinition job = documents.Write(id, sweep.TrialJob(0, first));
            var runner = new JobRunner(host);
            if (prepare)
            {
                runner.Prepare(job).Dispose();
            }
            else
            {
                runner.Validate(job);
            }
        }
        catch (JobValidationException e)
        {
            throw new JobValidationException($"sweep {sweep.Name} (its job with trial 0's parameters {first.Key})",
                [.. e.Problems.Select(p => p.Replace(documents.JobFile(id), "job", StringComparison.Ordinal))]);
        }
        finally
        {
            if (Directory.Exists(documents.Folder(id)))
            {
                Directory.Delete(documents.Folder(id), recursive: true);
            }
        }
    }
}
