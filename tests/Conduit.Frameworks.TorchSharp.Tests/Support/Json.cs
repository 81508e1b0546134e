using System.Text;
using Microsoft.Extensions.Configuration;

namespace Conduit.Frameworks.TorchSharp.Tests.Support;

/// <summary>Configuration sections written as JSON, as a job file would hold them.</summary>
internal static class Json
{
    /// <summary>The configuration of <paramref name="json"/> (one object).</summary>
    public static IConfiguration Of(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
