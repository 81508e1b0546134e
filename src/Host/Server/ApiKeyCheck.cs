using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Conduit.Host.Server;

/// <summary>
/// Requires the API key on every request but <c>/health</c> when one is configured. Both sides are hashed first, so
/// the comparison takes the same time whatever the key's length and however much of it matches.
/// </summary>
public sealed class ApiKeyCheck(string? apiKey)
{
    private readonly byte[]? _expected = apiKey is { Length: > 0 } ? SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)) : null;

    /// <summary>Whether a key is required.</summary>
    public bool Enabled => _expected is not null;

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_expected is null || context.Request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        string? given = context.Request.Headers[ServerOptions.ApiKeyHeader];
        if (given is null)
        {
            await Problems.Write(context, StatusCodes.Status401Unauthorized, "API key required", $"Send the server's API key in the {ServerOptions.ApiKeyHeader} header.").ConfigureAwait(false);
            return;
        }
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected))
        {
            await Problems.Write(context, StatusCodes.Status401Unauthorized, "API key refused", $"The {ServerOptions.ApiKeyHeader} header does not hold the server's API key.").ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }
}
