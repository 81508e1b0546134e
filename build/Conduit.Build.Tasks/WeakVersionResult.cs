namespace Conduit.Build.Tasks;

/// <summary>What <see cref="ElfVersionRequirements.MarkWeak"/> found and did.</summary>
public enum WeakVersionOutcome
{
    /// <summary>The file does not require the version: nothing to do (a newer build of the library may not need the fix).</summary>
    NotFound,

    /// <summary>Every requirement of the version was weak already; the file was not written.</summary>
    AlreadyWeak,

    /// <summary>At least one requirement was made weak and the file was rewritten.</summary>
    MarkedWeak,
}

/// <summary>The result of marking a version requirement weak in one file.</summary>
/// <param name="Path">The file.</param>
/// <param name="VersionName">The version, such as <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Outcome">What was found and done.</param>
/// <param name="RequiredFrom">The libraries the version is required from (<c>vn_file</c>); empty when <see cref="WeakVersionOutcome.NotFound"/>.</param>
/// <param name="EntriesChanged">How many <c>Vernaux</c> entries got the weak flag.</param>
public sealed record WeakVersionResult(string Path, string VersionName, WeakVersionOutcome Outcome, IReadOnlyList<string> RequiredFrom, int EntriesChanged);
