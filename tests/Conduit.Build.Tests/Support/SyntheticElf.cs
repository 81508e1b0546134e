using System.Buffers.Binary;
using System.Text;

namespace Conduit.Build.Tests.Support;

/// <summary>Writes minimal ELF64 little-endian files: a header, a string table and (optionally) a version-requirement section.</summary>
internal static class SyntheticElf
{
    /// <summary>One library and the versions (with their flags) required from it.</summary>
    public sealed record Need(string File, params (string Name, ushort Flags)[] Versions);

    public static byte[] Make(params Need[] needs) => Make(withVerneed: true, needs);

    public static byte[] Make(bool withVerneed, params Need[] needs)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        int AddString(string s)
        {
            int offset = (int)strings.Length;
            strings.Write(Encoding.UTF8.GetBytes(s));
            strings.WriteByte(0);
            return offset;
        }

        var verneed = new MemoryStream();
        for (int n = 0; n < needs.Length; n++)
        {
            Need need = needs[n];
            var record = new byte[16];
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(0), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(2), (ushort)need.Versions.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)AddString(need.File));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), 16);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), n == needs.Length - 1 ? 0u : (uint)(16 + 16 * need.Versions.Length));
            verneed.Write(record);
            for (int v = 0; v < need.Versions.Length; v++)
            {
                var aux = new byte[16];
                BinaryPrimitives.WriteUInt32LittleEndian(aux.AsSpan(0), 0x0badcafe);
                BinaryPrimitives.WriteUInt16LittleEndian(aux.AsSpan(4), need.Versions[v].Flags);
                BinaryPrimitives.WriteUInt16LittleEndian(aux.AsSpan(6), (ushort)(v + 2));
                BinaryPrimitives.WriteUInt32LittleEndian(aux.AsSpan(8), (uint)AddString(need.Versions[v].Name));
                BinaryPrimitives.WriteUInt32LittleEndian(aux.AsSpan(12), v == need.Versions.Length - 1 ? 0u : 16u);
                verneed.Write(aux);
            }
        }

        byte[] stringBytes = strings.ToArray();
        byte[] verneedBytes = verneed.ToArray();
        int stringsOffset = 64;
        int verneedOffset = Align(stringsOffset + stringBytes.Length);
        int sectionTable = Align(verneedOffset + verneedBytes.Length);
        int sections = withVerneed ? 3 : 2;
        var file = new byte[sectionTable + sections * 64];

        file[0] = 0x7F; file[1] = (byte)'E'; file[2] = (byte)'L'; file[3] = (byte)'F';
        file[4] = 2; // ELFCLASS64
        file[5] = 1; // ELFDATA2LSB
        file[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x10), 3);  // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x12), 62); // EM_X86_64
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(0x14), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(0x28), (ulong)sectionTable);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x34), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x3A), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x3C), (ushort)sections);
        stringBytes.CopyTo(file, stringsOffset);
        verneedBytes.CopyTo(file, verneedOffset);

        WriteSection(file.AsSpan(sectionTable + 64), type: 3, stringsOffset, stringBytes.Length, link: 0, info: 0);
        if (withVerneed)
        {
            WriteSection(file.AsSpan(sectionTable + 128), type: 0x6ffffffe, verneedOffset, verneedBytes.Length, link: 1, info: (uint)needs.Length);
        }
        return file;
    }

    /// <summary>Where the section header of the version requirements starts in a file <see cref="Make(Need[])"/> wrote.</summary>
    public static int VerneedSectionHeader(byte[] file) => (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0x28)) + 128;

    private static void WriteSection(Span<byte> header, uint type, int offset, int size, uint link, uint info)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x04..], type);
        BinaryPrimitives.WriteUInt64LittleEndian(header[0x18..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(header[0x20..], (ulong)size);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x28..], link);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x2C..], info);
        BinaryPrimitives.WriteUInt64LittleEndian(header[0x30..], 8);
    }

    private static int Align(int value) => (value + 7) & ~7;
}
