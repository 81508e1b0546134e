namespace Conduit.Host.Jobs;

/// <summary>A job that cannot run; every problem names the key, the value and what is allowed.</summary>
public sealed class JobValidationException(string source, IReadOnlyList<string> problems)
    : Exception(problems.Count == 1
        ? $"{source}: {problems[0]}"
        : $"{source}: {problems[0]} (and {problems.Count - 1} more: {string.Join("; ", problems.Skip(1))})")
{
    /// <summary>The job file (or other source) the problems are in.</summary>
    public string JobSource { get; } = source;

    /// <summary>Every problem found, in the order the keys were read.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
