namespace Conduit.Build.Tasks;

/// <summary>One symbol version an ELF shared object requires from a library: a <c>Vernaux</c> entry of its <c>.gnu.version_r</c> section.</summary>
/// <param name="File">The library that must provide the version (<c>vn_file</c>), such as <c>libstdc++.so.6</c>.</param>
/// <param name="Name">The version (<c>vna_name</c>), such as <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">The entry's <c>vna_flags</c>.</param>
/// <param name="FlagsOffset">Where in the file <c>vna_flags</c> lies.</param>
public sealed record ElfVersionNeed(string File, string Name, ushort Flags, long FlagsOffset)
{
    /// <summary><c>VER_FLG_WEAK</c>: the dynamic loader accepts a library that lacks the version.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>Whether the requirement is weak.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;
}
