namespace TaskQueue.Gateway.Http;

/// <summary>The <c>type</c> of each problem: the section of RFC 9110 that defines its status code.</summary>
internal static class ProblemTypes
{
    private const string Rfc9110 = "https://tools.ietf.org/html/rfc9110#section-";

    public static string For(int status) => status switch
    {
        400 => Rfc9110 + "15.5.1",
        401 => Rfc9110 + "15.5.2",
        403 => Rfc9110 + "15.5.4",
        404 => Rfc9110 + "15.5.5",
        405 => Rfc9110 + "15.5.6",
        406 => Rfc9110 + "15.5.7",
        408 => Rfc9110 + "15.5.9",
        409 => Rfc9110 + "15.5.10",
        411 => Rfc9110 + "15.5.12",
        413 => Rfc9110 + "15.5.14",
        414 => Rfc9110 + "15.5.15",
        415 => Rfc9110 + "15.5.16",
        422 => Rfc9110 + "15.5.21",
        500 => Rfc9110 + "15.6.1",
        501 => Rfc9110 + "15.6.2",
        502 => Rfc9110 + "15.6.3",
        503 => Rfc9110 + "15.6.4",
        504 => Rfc9110 + "15.6.5",
        _ => "about:blank",
    };
}
