using Microsoft.Build.Framework;

namespace Conduit.Build.Tasks;

/// <summary>
/// Marks a symbol version requirement weak (<c>VER_FLG_WEAK</c>) in ELF64 little-endian shared objects, so the dynamic
/// loader accepts a system library that lacks that version. Used on the build-output copy of <c>libLibTorchSharp.so</c>,
/// which requires <c>GLIBCXX_3.4.32</c> (GCC 13's libstdc++) for one symbol it never calls.
/// </summary>
/// <remarks>
/// A file that does not require the version is reported and left alone. A file that is not ELF64 little-endian or has
/// no version requirements is an error (CONDUIT1001) naming the file.
/// </remarks>
public sealed class MarkElfVersionWeak : Microsoft.Build.Utilities.Task
{
    /// <summary>The error code of a file that cannot be read or patched.</summary>
    public const string ErrorCode = "CONDUIT1001";

    /// <summary>The shared objects to patch in place (build outputs, never package caches).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>The version to mark weak, such as <c>GLIBCXX_3.4.32</c>.</summary>
    [Required]
    public string VersionName { get; set; } = "";

    /// <summary>Keep each rewritten file's last write time, so an incremental copy from its source skips it next time.</summary>
    public bool PreserveTimestamps { get; set; }

    /// <summary>The files in which a requirement was made weak by this run; each has <c>Outcome</c> metadata.</summary>
    [Output]
    public ITaskItem[] ChangedFiles { get; private set; } = [];

    /// <inheritdoc/>
    public override bool Execute()
    {
        if (string.IsNullOrWhiteSpace(VersionName))
        {
            Log.LogError(null, ErrorCode, null, null, 0, 0, 0, 0, "MarkElfVersionWeak: VersionName is empty; give the version to mark weak, such as GLIBCXX_3.4.32.");
            return false;
        }
        var changed = new List<ITaskItem>();
        foreach (ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                WeakVersionResult result = ElfVersionRequirements.MarkWeak(path, VersionName, PreserveTimestamps);
                string from = string.Join(", ", result.RequiredFrom);
                switch (result.Outcome)
                {
                    case WeakVersionOutcome.MarkedWeak:
                        Log.LogMessage(MessageImportance.High, "{0}: marked the requirement of {1} from {2} weak ({3} entr{4}).",
                            path, VersionName, from, result.EntriesChanged, result.EntriesChanged == 1 ? "y" : "ies");
                        var output = new Microsoft.Build.Utilities.TaskItem(item);
                        output.SetMetadata("Outcome", result.Outcome.ToString());
                        changed.Add(output);
                        break;
                    case WeakVersionOutcome.AlreadyWeak:
                        Log.LogMessage(MessageImportance.Normal, "{0}: the requirement of {1} from {2} is weak already.", path, VersionName, from);
                        break;
                    default:
                        Log.LogMessage(MessageImportance.High, "{0}: does not require {1}; nothing to mark weak (this build of the library may no longer need the fix).", path, VersionName);
                        break;
                }
            }
            catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException)
            {
                string message = e is ElfFormatException elf ? elf.Problem : e.Message;
                Log.LogError(null, ErrorCode, null, path, 0, 0, 0, 0, "cannot mark {0} weak: {1}", VersionName, message);
            }
        }
        ChangedFiles = [.. changed];
        return !Log.HasLoggedErrors;
    }
}
