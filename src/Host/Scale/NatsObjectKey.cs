using System.Globalization;
using System.Text;

namespace Conduit.Host.Scale;

/// <summary>
/// The object-store name of a job's file: <c>jobs/&lt;id&gt;/&lt;path relative to the job's folder&gt;</c>, so the bucket
/// mirrors the job's folder. A name may hold letters, digits and <c>- _ = . /</c> only: any other character (a space in
/// a job's name) is written as <c>=XX</c> per UTF-8 byte, and <c>=</c> itself as <c>=3D</c>, so each path has one name.
/// </summary>
internal static class NatsObjectKey
{
    /// <summary>The names of every file of job <paramref name="jobId"/> start with this.</summary>
    public static string Prefix(string jobId) => $"jobs/{Encode(jobId)}/";

    /// <summary>The name of the file at <paramref name="relativePath"/> in job <paramref name="jobId"/>'s folder.</summary>
    public static string For(string jobId, string relativePath) => Prefix(jobId) + Encode(relativePath.Replace('\\', '/'));

    /// <summary>The path relative to the job's folder that <paramref name="name"/> (a name under <paramref name="jobId"/>) stands for.</summary>
    public static string RelativePath(string jobId, string name) => Decode(name[Prefix(jobId).Length..]);

    private static string Encode(string path)
    {
        var name = new StringBuilder(path.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(path))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
            {
                name.Append(c);
            }
            else
            {
                name.Append(CultureInfo.InvariantCulture, $"={b:X2}");
            }
        }
        return name.ToString();
    }

    private static string Decode(string name)
    {
        var bytes = new List<byte>(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] == '=' && i + 2 < name.Length && byte.TryParse(name.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)name[i]);
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }
}
