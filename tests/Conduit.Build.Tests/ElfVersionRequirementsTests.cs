using System.Buffers.Binary;
using Conduit.Build.Tasks;
using Conduit.Build.Tests.Support;
using static Conduit.Build.Tests.Support.SyntheticElf;

namespace Conduit.Build.Tests;

/// <summary>The ELF reader and patcher on small synthetic files, including malformed ones.</summary>
public sealed class ElfVersionRequirementsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly Need[] TwoLibraries =
    [
        new("libc.so.6", ("GLIBC_2.34", 0), ("GLIBC_2.2.5", 0)),
        new("libstdc++.so.6", ("GLIBCXX_3.4.30", 0), ("GLIBCXX_3.4.32", 0), ("CXXABI_1.3", 0)),
    ];

    [Fact]
    public void Read_follows_the_Verneed_and_Vernaux_chains_in_file_order()
    {
        string path = _temp.Write("two.so", Make(TwoLibraries));

        IReadOnlyList<ElfVersionNeed> needs = ElfVersionRequirements.Read(path);

        Assert.Equal(
            ["libc.so.6:GLIBC_2.34", "libc.so.6:GLIBC_2.2.5", "libstdc++.so.6:GLIBCXX_3.4.30", "libstdc++.so.6:GLIBCXX_3.4.32", "libstdc++.so.6:CXXABI_1.3"],
            needs.Select(n => $"{n.File}:{n.Name}"));
        Assert.All(needs, n => Assert.False(n.IsWeak));
    }

    [Fact]
    public void MarkWeak_sets_only_the_weak_bit_of_the_named_entry()
    {
        byte[] original = Make(new Need("libstdc++.so.6", ("GLIBCXX_3.4.30", 0), ("GLIBCXX_3.4.32", 0x1)));
        string path = _temp.Write("lib.so", original);

        WeakVersionResult result = ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.32");

        Assert.Equal(WeakVersionOutcome.MarkedWeak, result.Outcome);
        Assert.Equal(1, result.EntriesChanged);
        Assert.Equal(["libstdc++.so.6"], result.RequiredFrom);
        ElfVersionNeed need = Assert.Single(ElfVersionRequirements.Read(path), n => n.Name == "GLIBCXX_3.4.32");
        Assert.Equal(0x3, need.Flags); // the other flag (VER_FLG_BASE) is kept
        AssertDiffersOnlyBy(original, File.ReadAllBytes(path), need.FlagsOffset, 0x02);
    }

    [Fact]
    public void MarkWeak_marks_every_entry_of_the_version_whatever_library_it_is_required_from()
    {
        string path = _temp.Write("lib.so", Make(
            new Need("libstdc++.so.6", ("GLIBCXX_3.4.32", 0)),
            new Need("libother.so", ("GLIBCXX_3.4.32", 0), ("OTHER_1", 0))));

        WeakVersionResult result = ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.32");

        Assert.Equal(2, result.EntriesChanged);
        Assert.Equal(["libstdc++.so.6", "libother.so"], result.RequiredFrom);
        Assert.All(ElfVersionRequirements.Read(path), n => Assert.Equal(n.Name == "GLIBCXX_3.4.32", n.IsWeak));
    }

    [Fact]
    public void MarkWeak_of_a_version_not_required_reports_NotFound_and_leaves_the_file_alone()
    {
        byte[] original = Make(TwoLibraries);
        string path = _temp.Write("lib.so", original);
        var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        WeakVersionResult result = ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.99");

        Assert.Equal(WeakVersionOutcome.NotFound, result.Outcome);
        Assert.Empty(result.RequiredFrom);
        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void MarkWeak_twice_writes_once()
    {
        string path = _temp.Write("lib.so", Make(TwoLibraries));
        ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.32");
        byte[] once = File.ReadAllBytes(path);
        var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        WeakVersionResult again = ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.32");

        Assert.Equal(WeakVersionOutcome.AlreadyWeak, again.Outcome);
        Assert.Equal(0, again.EntriesChanged);
        Assert.Equal(once, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void MarkWeak_keeps_the_time_and_mode_when_asked_and_leaves_no_temporary_file()
    {
        string path = _temp.Write("lib.so", Make(TwoLibraries));
        var stamp = new DateTime(2021, 6, 7, 8, 9, 10, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, mode);

        ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.32", preserveTimestamp: true);

        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.Equal(mode, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void MarkWeak_replaces_the_file_instead_of_writing_through_a_hard_link()
    {
        string path = _temp.Write("lib.so", Make(TwoLibraries));
        byte[] original = File.ReadAllBytes(path);
        string link = Path.Combine(_temp.Path, "link.so");
        if (!TryHardLink(path, link))
        {
            return; // no ln here: nothing to check
        }

        ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.32");

        Assert.Equal(original, File.ReadAllBytes(link));
        Assert.NotEqual(original, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_text_file_is_not_an_ELF_file()
    {
        string path = _temp.Write("notes.so", "INPUT(-lfoo)\n"u8.ToArray().Concat(new byte[100]).ToArray());

        var e = Assert.Throws<ElfFormatException>(() => ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.32"));

        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains("not an ELF file", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short", "fewer than an ELF64 header")]
    [InlineData("elf32", "32-bit ELF file (ELFCLASS32)")]
    [InlineData("class9", "unknown ELF class 9")]
    [InlineData("big-endian", "big-endian ELF file")]
    [InlineData("no-section-table", "has no section header table")]
    [InlineData("table-past-end", "lies beyond the end of the file")]
    [InlineData("small-section-headers", "section headers of 40 bytes")]
    [InlineData("no-verneed", "has no SHT_GNU_verneed (.gnu.version_r) section")]
    [InlineData("bad-link", "links to string table section 7, which does not exist")]
    [InlineData("verneed-past-end", "lies beyond the end of the file")]
    [InlineData("name-outside-strings", "outside its string table")]
    [InlineData("aux-outside-section", "lies outside the section")]
    public void Malformed_files_are_refused_with_the_file_and_the_problem(string kind, string expected)
    {
        byte[] file = Make(TwoLibraries);
        int verneed = VerneedSectionHeader(file);
        switch (kind)
        {
            case "short": file = file[..40]; break;
            case "elf32": file[4] = 1; break;
            case "class9": file[4] = 9; break;
            case "big-endian": file[5] = 2; break;
            case "no-section-table": BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(0x28), 0); break;
            case "table-past-end": BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(0x28), (ulong)file.Length - 10); break;
            case "small-section-headers": BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x3A), 40); break;
            case "no-verneed": file = Make(withVerneed: false, TwoLibraries); break;
            case "bad-link": BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(verneed + 0x28), 7); break;
            case "verneed-past-end": BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(verneed + 0x20), (ulong)file.Length); break;
            case "name-outside-strings": CorruptFirstVernaux(file, verneed, at: 8, value: 100_000); break;
            case "aux-outside-section": CorruptFirstVernaux(file, verneed, at: 12, value: 100_000); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
        string path = _temp.Write($"{kind}.so", file);

        var e = Assert.Throws<ElfFormatException>(() => ElfVersionRequirements.Read(path));

        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Vernaux_chain_that_claims_more_entries_than_the_section_holds_is_refused()
    {
        byte[] file = Make(new Need("libstdc++.so.6", ("A", 0), ("B", 0)));
        int verneed = VerneedSectionHeader(file);
        int section = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(verneed + 0x18));
        // vn_cnt = 65535, and the second entry's vna_next steps one byte on: overlapping entries, never ending on 0.
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(section + 2), ushort.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(section + 16 + 16 + 12), 1);
        string path = _temp.Write("overlapping.so", file);

        var e = Assert.Throws<ElfFormatException>(() => ElfVersionRequirements.Read(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_IOException()
    {
        string path = Path.Combine(_temp.Path, "missing.so");

        Assert.ThrowsAny<IOException>(() => ElfVersionRequirements.MarkWeak(path, "GLIBCXX_3.4.32"));
    }

    private static void CorruptFirstVernaux(byte[] file, int verneedHeader, int at, uint value)
    {
        int section = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(verneedHeader + 0x18));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(section + 16 + at), value);
    }

    internal static void AssertDiffersOnlyBy(byte[] before, byte[] after, long flagsOffset, byte bit)
    {
        Assert.Equal(before.Length, after.Length);
        int[] differing = [.. Enumerable.Range(0, before.Length).Where(i => before[i] != after[i])];
        int index = Assert.Single(differing);
        Assert.Equal(flagsOffset, index); // vna_flags is little-endian: the weak bit is in its first byte
        Assert.Equal(bit, (byte)(before[index] ^ after[index]));
    }

    private static bool TryHardLink(string existing, string link)
    {
        try
        {
            using var ln = System.Diagnostics.Process.Start("ln", [existing, link]);
            ln.WaitForExit();
            return ln.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
