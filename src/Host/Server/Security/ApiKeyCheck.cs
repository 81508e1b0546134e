using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Conduit.Host.Server.Security;

/// <summary>
/// Requires the API key on every request but the health probe and the dashboard's static files (which hold no data;
/// the page sends the key itself with every API call). Keys are compared in constant time over their SHA-256
/// digests, so neither the content nor the length of the key leaks through timing.
/// </summary>
internal sealed class ApiKeyCheck(string apiKey)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public static bool IsOpen(PathString path) =>
        path == "/health" || path == "/" || path.StartsWithSegments("/dashboard", StringComparison.Ordinal);

    public bool Accepts(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(_expected, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsOpen(context.Request.Path) || Accepts(context.Request.Headers[ServerOptions.ApiKeyHeader].FirstOrDefault()))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        bool missing = !context.Request.Headers.ContainsKey(ServerOptions.ApiKeyHeader);
        await Problems.Write(context, StatusCodes.Status401Unauthorized, "API key required",
            missing ? $"this server needs its API key in the {ServerOptions.ApiKeyHeader} header" : $"the {ServerOptions.ApiKeyHeader} header does not hold this server's API key",
            ServerOptions.ApiKeyHeader).ConfigureAwait(false);
    }
}
