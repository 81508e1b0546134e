using System.Buffers.Binary;
using System.Text;

namespace Conduit.Build.Tasks;

/// <summary>
/// Reads the symbol version requirements of an ELF64 little-endian shared object (its <c>SHT_GNU_verneed</c> section,
/// <c>.gnu.version_r</c>) and marks a required version weak, so that the dynamic loader accepts a library that lacks it.
/// </summary>
/// <remarks>
/// Layout (the System V gABI and the LSB's symbol versioning): the ELF header gives the section header table; the
/// <c>SHT_GNU_verneed</c> section holds <c>sh_info</c> <c>Verneed</c> records chained by <c>vn_next</c>, each naming a
/// library (<c>vn_file</c>) and pointing (<c>vn_aux</c>) to <c>vn_cnt</c> <c>Vernaux</c> records chained by
/// <c>vna_next</c>, each naming a version (<c>vna_name</c>) with its <c>vna_flags</c>. Names are offsets into the string
/// table section whose index is the verneed section's <c>sh_link</c>. All offsets are checked against the file.
/// </remarks>
public static class ElfVersionRequirements
{
    /// <summary><c>SHT_GNU_verneed</c>.</summary>
    public const uint VerneedSectionType = 0x6ffffffe;

    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;
    private const int MaxNameLength = 4096;
    private const long MaxSectionBytes = 64L * 1024 * 1024;

    /// <summary>Lists every version requirement of <paramref name="path"/>, in file order.</summary>
    /// <exception cref="ElfFormatException">The file is not ELF64 little-endian, is malformed, or has no <c>SHT_GNU_verneed</c> section.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<ElfVersionNeed> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path);
    }

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on every requirement of <paramref name="versionName"/> in <paramref name="path"/>. The file
    /// is written only when a flag changes, through a temporary file in the same folder that then replaces it (so a
    /// process that has the library mapped is not disturbed, and a hard link to another copy is not written through).
    /// </summary>
    /// <param name="path">The shared object.</param>
    /// <param name="versionName">The version, such as <c>GLIBCXX_3.4.32</c> (ordinal comparison).</param>
    /// <param name="preserveTimestamp">
    /// Keep the file's last write time when rewriting it. A build that copies the library from a package and then patches
    /// it needs this: the copy step skips files whose size and time match the source, and the patch keeps the size.
    /// </param>
    /// <returns>What was found and done; a file that does not require the version is not an error.</returns>
    /// <exception cref="ElfFormatException">The file is not ELF64 little-endian, is malformed, or has no <c>SHT_GNU_verneed</c> section.</exception>
    /// <exception cref="IOException">The file cannot be read or replaced.</exception>
    public static WeakVersionResult MarkWeak(string path, string versionName, bool preserveTimestamp = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(versionName);
        ElfVersionNeed[] matches = [.. Read(path).Where(n => string.Equals(n.Name, versionName, StringComparison.Ordinal))];
        string[] requiredFrom = [.. matches.Select(n => n.File).Distinct(StringComparer.Ordinal)];
        if (matches.Length == 0)
        {
            return new WeakVersionResult(path, versionName, WeakVersionOutcome.NotFound, requiredFrom, 0);
        }
        ElfVersionNeed[] strong = [.. matches.Where(n => !n.IsWeak)];
        if (strong.Length == 0)
        {
            return new WeakVersionResult(path, versionName, WeakVersionOutcome.AlreadyWeak, requiredFrom, 0);
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        DateTime lastWrite = File.GetLastWriteTimeUtc(path);
        try
        {
            File.Copy(path, temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                Span<byte> flags = stackalloc byte[2];
                foreach (ElfVersionNeed need in strong)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(need.Flags | ElfVersionNeed.WeakFlag));
                    stream.Position = need.FlagsOffset;
                    stream.Write(flags);
                }
                stream.Flush(flushToDisk: true);
                // Read the result back through the same parser before it replaces the original.
                stream.Position = 0;
                if (Read(stream, temporary).Any(n => string.Equals(n.Name, versionName, StringComparison.Ordinal) && !n.IsWeak))
                {
                    throw new IOException($"{path}: the rewritten copy still requires {versionName} strongly");
                }
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            }
            File.SetLastWriteTimeUtc(temporary, preserveTimestamp ? lastWrite : DateTime.UtcNow);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
        return new WeakVersionResult(path, versionName, WeakVersionOutcome.MarkedWeak, requiredFrom, strong.Length);
    }

    private static List<ElfVersionNeed> Read(Stream stream, string path)
    {
        long length = stream.Length;
        if (length < ElfHeaderSize)
        {
            throw new ElfFormatException(path, $"is not an ELF file: it has {length} bytes, fewer than an ELF64 header");
        }
        byte[] header = ReadAt(stream, 0, ElfHeaderSize, path, "the ELF header");
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            throw new ElfFormatException(path, "is not an ELF file (it does not start with 0x7F 'E' 'L' 'F')");
        }
        if (header[4] != 2)
        {
            throw new ElfFormatException(path, header[4] == 1
                ? "is a 32-bit ELF file (ELFCLASS32); only ELF64 is supported"
                : $"has an unknown ELF class {header[4]}; only ELF64 (2) is supported");
        }
        if (header[5] != 1)
        {
            throw new ElfFormatException(path, header[5] == 2
                ? "is a big-endian ELF file (ELFDATA2MSB); only little-endian is supported"
                : $"has an unknown ELF data encoding {header[5]}; only little-endian (1) is supported");
        }

        ulong sectionTable = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(0x28));
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3A));
        long count = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3C));
        if (sectionTable == 0)
        {
            throw new ElfFormatException(path, "has no section header table, so no SHT_GNU_verneed (.gnu.version_r) section");
        }
        if (entrySize < SectionHeaderSize)
        {
            throw new ElfFormatException(path, $"has section headers of {entrySize} bytes; ELF64 needs {SectionHeaderSize}");
        }
        CheckRange(sectionTable, (ulong)entrySize, length, path, "the section header table");
        if (count == 0)
        {
            // More than SHN_LORESERVE sections: the real count is the sh_size of section 0.
            byte[] first = ReadAt(stream, (long)sectionTable, SectionHeaderSize, path, "section header 0");
            count = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(first.AsSpan(0x20)));
        }
        if (count > Math.Min(length, MaxSectionBytes) / entrySize)
        {
            throw new ElfFormatException(path, $"is malformed: it claims {count} section headers of {entrySize} bytes, more than the file holds");
        }
        CheckRange(sectionTable, (ulong)(count * entrySize), length, path, "the section header table");
        byte[] table = ReadAt(stream, (long)sectionTable, (int)(count * entrySize), path, "the section header table");
        Section SectionAt(long index) => Section.Parse(table.AsSpan(checked((int)(index * entrySize)), SectionHeaderSize));

        var needs = new List<ElfVersionNeed>();
        bool found = false;
        for (long i = 0; i < count; i++)
        {
            Section verneed = SectionAt(i);
            if (verneed.Type != VerneedSectionType)
            {
                continue;
            }
            found = true;
            string where = $"the SHT_GNU_verneed section (section {i})";
            CheckRange(verneed.Offset, verneed.Size, length, path, where);
            if (verneed.Size > MaxSectionBytes)
            {
                throw new ElfFormatException(path, $"{where} has {verneed.Size} bytes; more than {MaxSectionBytes} is not a real version section");
            }
            if (verneed.Link == 0 || verneed.Link >= count)
            {
                throw new ElfFormatException(path, $"{where} links to string table section {verneed.Link}, which does not exist");
            }
            Section strings = SectionAt(verneed.Link);
            CheckRange(strings.Offset, strings.Size, length, path, $"string table section {verneed.Link}");
            byte[] data = ReadAt(stream, (long)verneed.Offset, (int)verneed.Size, path, where);
            ReadChains(stream, path, where, verneed, data, strings, needs);
        }
        if (!found)
        {
            throw new ElfFormatException(path, "has no SHT_GNU_verneed (.gnu.version_r) section: it requires no symbol versions");
        }
        return needs;
    }

    private static void ReadChains(Stream stream, string path, string where, Section verneed, byte[] data, Section strings, List<ElfVersionNeed> needs)
    {
        // sh_info is the number of Verneed records; every record and entry is at least 16 bytes, which bounds the walk.
        long records = verneed.Info != 0 ? verneed.Info : data.Length / VerneedSize;
        long budget = data.Length / VernauxSize;
        long position = 0;
        for (long r = 0; r < records; r++)
        {
            if (position < 0 || position + VerneedSize > data.Length)
            {
                throw new ElfFormatException(path, $"{where}: Verneed record {r} at offset {position} lies outside the section ({data.Length} bytes)");
            }
            ReadOnlySpan<byte> record = data.AsSpan((int)position, VerneedSize);
            int entries = BinaryPrimitives.ReadUInt16LittleEndian(record[2..]);
            uint fileName = BinaryPrimitives.ReadUInt32LittleEndian(record[4..]);
            uint auxiliary = BinaryPrimitives.ReadUInt32LittleEndian(record[8..]);
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
            string file = ReadName(stream, path, strings, fileName);

            long entry = position + auxiliary;
            for (int e = 0; e < entries; e++)
            {
                if (--budget < 0)
                {
                    throw new ElfFormatException(path, $"{where}: the Vernaux chains claim more entries than fit in the section");
                }
                if (entry < 0 || entry + VernauxSize > data.Length)
                {
                    throw new ElfFormatException(path, $"{where}: Vernaux entry {e} of '{file}' at offset {entry} lies outside the section ({data.Length} bytes)");
                }
                ReadOnlySpan<byte> aux = data.AsSpan((int)entry, VernauxSize);
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(aux[4..]);
                uint name = BinaryPrimitives.ReadUInt32LittleEndian(aux[8..]);
                uint auxNext = BinaryPrimitives.ReadUInt32LittleEndian(aux[12..]);
                needs.Add(new ElfVersionNeed(file, ReadName(stream, path, strings, name), flags, (long)verneed.Offset + entry + 4));
                if (auxNext == 0)
                {
                    break;
                }
                entry += auxNext;
            }
            if (next == 0)
            {
                break;
            }
            position += next;
        }
    }

    private static string ReadName(Stream stream, string path, Section strings, uint offset)
    {
        if (offset >= strings.Size)
        {
            throw new ElfFormatException(path, $"names a string at offset {offset}, outside its string table ({strings.Size} bytes)");
        }
        int available = (int)Math.Min((ulong)MaxNameLength, strings.Size - offset);
        byte[] bytes = ReadAt(stream, (long)(strings.Offset + offset), available, path, "the string table");
        int end = Array.IndexOf(bytes, (byte)0);
        if (end < 0)
        {
            throw new ElfFormatException(path, $"has an unterminated name at string table offset {offset}");
        }
        return Encoding.UTF8.GetString(bytes, 0, end);
    }

    private static void CheckRange(ulong offset, ulong size, long length, string path, string what)
    {
        if (offset > (ulong)length || size > (ulong)length - offset)
        {
            throw new ElfFormatException(path, $"is truncated or malformed: {what} (offset {offset}, {size} bytes) lies beyond the end of the file ({length} bytes)");
        }
    }

    private static byte[] ReadAt(Stream stream, long offset, int count, string path, string what)
    {
        var buffer = new byte[count];
        stream.Position = offset;
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new ElfFormatException(path, $"is truncated: {what} (offset {offset}, {count} bytes) lies beyond the end of the file");
        }
        return buffer;
    }

    private readonly record struct Section(uint Type, ulong Offset, ulong Size, uint Link, uint Info)
    {
        public static Section Parse(ReadOnlySpan<byte> header) => new(
            Type: BinaryPrimitives.ReadUInt32LittleEndian(header[0x04..]),
            Offset: BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]),
            Size: BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]),
            Link: BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]),
            Info: BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]));
    }
}
