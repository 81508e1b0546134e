using Conduit.Build.Tasks;
using Conduit.Build.Tests.Support;

namespace Conduit.Build.Tests;

/// <summary>
/// The weak-version fix on the real libraries: the plugin folder's copy (patched by the build), the package's copy
/// (unpatched; always copied to a temporary folder first, never touched in place) and a system library.
/// </summary>
public sealed class LibTorchSharpTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_plugin_folder_copy_requires_GLIBCXX_3_4_32_weakly()
    {
        string copy = _temp.CopyIn(Path.Combine(RepoPaths.TorchSharpPlugin, RepoPaths.LibTorchSharp));

        ElfVersionNeed need = Assert.Single(ElfVersionRequirements.Read(copy), n => n.Name == Version);

        Assert.Equal("libstdc++.so.6", need.File);
        Assert.True(need.IsWeak, $"{Version} is not weak in the plugin folder's {RepoPaths.LibTorchSharp}: the build did not patch it");
        if (Binutils.HasReadelf)
        {
            Assert.Contains((Version, "WEAK"), Binutils.VersionNeeds(copy));
        }
    }

    [Fact]
    public void The_package_copy_requires_it_strongly_and_the_reader_agrees_with_readelf()
    {
        string copy = _temp.CopyIn(RepoPaths.PackageLibTorchSharp());

        IReadOnlyList<ElfVersionNeed> needs = ElfVersionRequirements.Read(copy);

        Assert.False(Assert.Single(needs, n => n.Name == Version).IsWeak);
        if (Binutils.HasReadelf)
        {
            Assert.Equal(Binutils.VersionNeeds(copy), needs.Select(n => (n.Name, n.IsWeak ? "WEAK" : "none")));
        }
    }

    [Fact]
    public void The_only_symbol_bound_to_GLIBCXX_3_4_32_is_the_one_that_is_never_called()
    {
        // The fix is safe because nothing but std::ios_base_library_init() (a link-time hook of GCC 13's <iostream>) needs
        // the version. If a newer TorchSharp binds real functions to it, marking it weak would defer the failure to the
        // first call of one of them: then the fix must be revisited, not silently kept.
        if (!Binutils.HasObjdump)
        {
            return;
        }

        IReadOnlyList<string> symbols = Binutils.SymbolsOfVersion(RepoPaths.PackageLibTorchSharp(), Version);

        Assert.Equal(["_ZSt21ios_base_library_initv"], symbols);
    }

    [Fact]
    public void Patching_the_package_copy_flips_exactly_one_bit_and_gives_the_plugin_folder_copy()
    {
        string copy = _temp.CopyIn(RepoPaths.PackageLibTorchSharp());
        byte[] before = File.ReadAllBytes(copy);
        long flagsOffset = Assert.Single(ElfVersionRequirements.Read(copy), n => n.Name == Version).FlagsOffset;

        WeakVersionResult result = ElfVersionRequirements.MarkWeak(copy, Version);

        Assert.Equal(WeakVersionOutcome.MarkedWeak, result.Outcome);
        Assert.Equal(1, result.EntriesChanged);
        Assert.Equal(["libstdc++.so.6"], result.RequiredFrom);
        byte[] after = File.ReadAllBytes(copy);
        ElfVersionRequirementsTests.AssertDiffersOnlyBy(before, after, flagsOffset, (byte)ElfVersionNeed.WeakFlag);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoPaths.TorchSharpPlugin, RepoPaths.LibTorchSharp)), after);
        if (Binutils.HasReadelf)
        {
            Assert.Equal(
                Binutils.VersionNeeds(RepoPaths.PackageLibTorchSharp()).Select(n => n.Name == Version ? (n.Name, "WEAK") : n),
                Binutils.VersionNeeds(copy));
        }
    }

    [Fact]
    public void Patching_twice_changes_nothing_the_second_time()
    {
        string copy = _temp.CopyIn(RepoPaths.PackageLibTorchSharp());
        ElfVersionRequirements.MarkWeak(copy, Version);
        byte[] once = File.ReadAllBytes(copy);
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy, stamp);

        WeakVersionResult again = ElfVersionRequirements.MarkWeak(copy, Version);

        Assert.Equal(WeakVersionOutcome.AlreadyWeak, again.Outcome);
        Assert.Equal(once, File.ReadAllBytes(copy));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(copy)); // not rewritten
    }

    [Fact]
    public void A_system_library_that_does_not_need_the_version_is_NotFound_and_unchanged()
    {
        string copy = _temp.CopyIn(SystemLibrary(), "libsystem.so");
        byte[] before = File.ReadAllBytes(copy);
        Assert.NotEmpty(ElfVersionRequirements.Read(copy)); // it has version requirements, just not this one

        WeakVersionResult result = ElfVersionRequirements.MarkWeak(copy, Version);

        Assert.Equal(WeakVersionOutcome.NotFound, result.Outcome);
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_file_that_is_not_ELF_gives_an_error_naming_it()
    {
        string path = _temp.Write(RepoPaths.LibTorchSharp, "this is a text file, not a shared library\n"u8.ToArray().Concat(new byte[64]).ToArray());

        var e = Assert.Throws<ElfFormatException>(() => ElfVersionRequirements.MarkWeak(path, Version));

        Assert.Equal($"{path}: is not an ELF file (it does not start with 0x7F 'E' 'L' 'F')", e.Message);
    }

    /// <summary>zlib (required on Debian), else the C++ runtime .NET itself loads: ELF64 libraries that need only GLIBC versions.</summary>
    internal static string SystemLibrary() =>
        new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6" }
            .FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("no libz.so.1 nor libstdc++.so.6 under /lib/x86_64-linux-gnu or /usr/lib/x86_64-linux-gnu");
}
