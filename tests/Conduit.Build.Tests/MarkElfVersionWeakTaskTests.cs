using Conduit.Build.Tasks;
using Conduit.Build.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Conduit.Build.Tests;

/// <summary>The MSBuild task around the patcher: what it logs and returns.</summary>
public sealed class MarkElfVersionWeakTaskTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _temp.Dispose();

    private MarkElfVersionWeak Task(params string[] files) => new()
    {
        BuildEngine = _engine,
        Files = [.. files.Select(f => new TaskItem(f))],
        VersionName = "GLIBCXX_3.4.32",
        PreserveTimestamps = true,
    };

    [Fact]
    public void Patches_a_copy_of_the_package_library_and_reports_it()
    {
        string copy = _temp.CopyIn(RepoPaths.PackageLibTorchSharp());
        DateTime stamp = File.GetLastWriteTimeUtc(copy);
        MarkElfVersionWeak task = Task(copy);

        Assert.True(task.Execute());

        ITaskItem changed = Assert.Single(task.ChangedFiles);
        Assert.Equal(copy, changed.ItemSpec);
        Assert.Equal("MarkedWeak", changed.GetMetadata("Outcome"));
        Assert.Contains(_engine.Messages, m => m.Importance == MessageImportance.High && m.Message!.Contains("marked the requirement of GLIBCXX_3.4.32 from libstdc++.so.6 weak", StringComparison.Ordinal));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(copy));
        Assert.Empty(_engine.Errors);
        Assert.Empty(_engine.Warnings);
    }

    [Fact]
    public void Leaves_a_library_without_the_version_alone_and_succeeds()
    {
        string copy = _temp.CopyIn(LibTorchSharpTests.SystemLibrary(), "libsystem.so");
        MarkElfVersionWeak task = Task(copy);

        Assert.True(task.Execute());

        Assert.Empty(task.ChangedFiles);
        Assert.Contains(_engine.Messages, m => m.Message!.Contains("does not require GLIBCXX_3.4.32", StringComparison.Ordinal));
        Assert.Empty(_engine.Errors);
    }

    [Fact]
    public void Fails_with_an_error_on_the_file_that_is_not_ELF_and_still_patches_the_others()
    {
        string text = _temp.Write("broken.so", new byte[100]);
        string good = _temp.CopyIn(RepoPaths.PackageLibTorchSharp());
        MarkElfVersionWeak task = Task(text, good);

        Assert.False(task.Execute());

        BuildErrorEventArgs error = Assert.Single(_engine.Errors);
        Assert.Equal(MarkElfVersionWeak.ErrorCode, error.Code);
        Assert.Equal(text, error.File);
        Assert.Equal("cannot mark GLIBCXX_3.4.32 weak: is not an ELF file (it does not start with 0x7F 'E' 'L' 'F')", error.Message);
        Assert.Equal(good, Assert.Single(task.ChangedFiles).ItemSpec);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        string missing = Path.Combine(_temp.Path, "missing.so");

        Assert.False(Task(missing).Execute());

        Assert.Equal(missing, Assert.Single(_engine.Errors).File);
    }
}
