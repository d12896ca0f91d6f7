namespace TaskQueue.Gateway.OpenApi;

/// <summary>
/// The JSON body an endpoint reads by hand, for the API description only. Unlike <c>Accepts&lt;T&gt;()</c> it
/// does not make routing refuse other content types with a bare 415 before the endpoint can answer properly.
/// </summary>
internal sealed class RequestBodyMetadata(Type type, string exampleJson)
{
    public Type Type { get; } = type;

    /// <summary>A request that works as it stands, which Swagger UI offers to send.</summary>
    public string ExampleJson { get; } = exampleJson;
}
