using Microsoft.AspNetCore.Http;

namespace Conduit.Host.Server;

/// <summary>Reads a request body as text within Kestrel's size limit, turning a refused body into problem details.</summary>
internal static class RequestBody
{
    public static async Task<(string? Text, IResult? Problem)> ReadAsync(HttpRequest request)
    {
        try
        {
            using var reader = new StreamReader(request.Body);
            string text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            return text.Length == 0 ? (null, Problems.Result(400, "Empty body", "the request has no body; expected a JSON document", "body")) : (text, null);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel refuses a body over MaxRequestBodySize with 413 as it is read.
            return (null, Problems.Result(e.StatusCode, "Request body refused", e.Message, "body"));
        }
    }
}
