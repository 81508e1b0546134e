using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Conduit.Host.Server;

/// <summary>RFC 7807 problem details, and reading a JSON body within the size limit into one.</summary>
public static class Problems
{
    /// <summary>A problem result; <paramref name="errors"/> lists each problem (naming its key) when there are several.</summary>
    public static IResult Result(int status, string title, string detail, IReadOnlyList<string>? errors = null) =>
        Results.Problem(detail, statusCode: status, title: title, extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>Writes a problem directly (middleware, before any endpoint).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail) =>
        Result(status, title, detail).ExecuteAsync(context);

    /// <summary>Reads the request body as a JSON object, or says why it cannot: too large (413), not JSON or not an object (400).</summary>
    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(request.ContentLength.Value, limit));
        }
        try
        {
            // A key given twice is refused here, with where it is, rather than failing later as a server error.
            JsonNode? node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return node is JsonObject body
                ? (body, null)
                : (null, Result(StatusCodes.Status400BadRequest, "Malformed body", $"The body is JSON {node?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}; expected an object."));
        }
        catch (JsonException e)
        {
            return (null, Result(StatusCodes.Status400BadRequest, "Malformed body", $"The body is not valid JSON: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(null, limit));
        }
    }

    private static IResult TooLarge(long? size, long limit) =>
        Result(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body{(size is null ? "" : $" ({size} bytes)")} is larger than the server's limit of {limit} bytes.");
}
