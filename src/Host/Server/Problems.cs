using Microsoft.AspNetCore.Http;

namespace Conduit.Host.Server;

/// <summary>RFC 7807 problem details, with the key (setting, header or route value) the problem is about.</summary>
internal static class Problems
{
    public static IResult Result(int status, string title, string detail, string? key = null, IReadOnlyList<string>? errors = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (key is not null)
        {
            extensions["key"] = key;
        }
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }
        return Results.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }

    public static Task Write(HttpContext context, int status, string title, string detail, string? key = null) =>
        Result(status, title, detail, key).ExecuteAsync(context);

    /// <summary>The key a validation message starts with (<c>data.path: ...</c>), if any.</summary>
    public static string? KeyOf(string problem)
    {
        int colon = problem.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !problem[..colon].Contains(' ', StringComparison.Ordinal) ? problem[..colon] : null;
    }
}
