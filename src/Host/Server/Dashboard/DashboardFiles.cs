using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Conduit.Host.Server.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in the host assembly: nothing is read from disk, and only the files
/// compiled in can be asked for, so no request path reaches the file system.
/// </summary>
internal static class DashboardFiles
{
    private const string Prefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        Assembly assembly = typeof(DashboardFiles).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);
        app.MapGet("/", () => Serve(files, "index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (string file) => Serve(files, file)).ExcludeFromDescription();
    }

    private static IResult Serve(Dictionary<string, byte[]> files, string name) =>
        files.TryGetValue(name, out byte[]? content)
            ? Results.Bytes(content, ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"))
            : Problems.Result(404, "Not found", $"the dashboard has no file '{name}'", "file");

    private static byte[] Read(Assembly assembly, string name)
    {
        using Stream stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
