using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Conduit.Host.Server;

/// <summary>
/// Requires the API key on every request but <c>/health</c> and the dashboard's own static files when one is
/// configured. Both sides are hashed first, so the comparison takes the same time whatever the key's length and
/// however much of it matches.
/// </summary>
/// <param name="apiKey">The key; null or empty for none.</param>
/// <param name="openFiles">
/// Request paths (<c>/</c>, <c>/dashboard.js</c>) of the dashboard's static files: a browser cannot send a header
/// when it opens a page, and these files hold no data; the page asks for the key and sends it with every API call.
/// </param>
public sealed class ApiKeyCheck(string? apiKey, IReadOnlySet<string>? openFiles = null)
{
    private readonly byte[]? _expected = apiKey is { Length: > 0 } ? SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)) : null;
    private readonly IReadOnlySet<string> _openFiles = openFiles ?? new HashSet<string>();

    /// <summary>Whether a key is required.</summary>
    public bool Enabled => _expected is not null;

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_expected is null || context.Request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase) || IsOpenFile(context.Request))
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

    private bool IsOpenFile(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.Value is { } path && _openFiles.Contains(path);
}
