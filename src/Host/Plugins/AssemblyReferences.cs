using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Conduit.Host.Plugins;

/// <summary>Reads an assembly's references from its metadata, without loading it.</summary>
internal static class AssemblyReferences
{
    /// <summary>The version of <paramref name="referenceName"/> that <paramref name="assemblyPath"/> was compiled against, or null.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static Version? FindReference(string assemblyPath, string referenceName)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException("No .NET metadata.", assemblyPath);
        }
        MetadataReader reader = pe.GetMetadataReader();
        foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
        {
            AssemblyReference reference = reader.GetAssemblyReference(handle);
            if (reader.StringComparer.Equals(reference.Name, referenceName))
            {
                return reference.Version;
            }
        }
        return null;
    }
}
