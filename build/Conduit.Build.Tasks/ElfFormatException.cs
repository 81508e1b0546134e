namespace Conduit.Build.Tasks;

/// <summary>A file is not what <see cref="ElfVersionRequirements"/> can read: not ELF64 little-endian, truncated, or without version requirements.</summary>
public sealed class ElfFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong with it, as the end of a sentence that starts with the file name.</param>
    public ElfFormatException(string path, string problem)
        : base($"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
