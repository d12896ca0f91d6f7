using System.Globalization;
using System.Text.Json.Nodes;
using TaskQueue.TestSupport;
using TaskQueue.Silo.Hosting;
using Xunit;

namespace TaskQueue.Gateway.Tests.Hosting;

/// <summary>
/// A gateway that co-hosts the silo reads the task types from its own settings file: they must say what the
/// silo's say, or <c>dotnet run</c> of the two would run different queues.
/// </summary>
public sealed class GatewaySettingsFileTests
{
    [Fact]
    public void TaskTypes_GatewaySettings_SameAsTheSilos()
    {
        var gateway = Read("src/Gateway/appsettings.json");
        var silo = Read("src/Silo/appsettings.json");

        Assert.True(
            JsonNode.DeepEquals(gateway["TaskQueue"]?["TaskTypes"], silo["TaskQueue"]?["TaskTypes"]),
            "TaskQueue:TaskTypes differs between src/Gateway/appsettings.json and src/Silo/appsettings.json.");
    }

    [Fact]
    public void Cluster_GatewaySettings_SameIdsAndGatewayPortAsTheSilos()
    {
        var gateway = Read("src/Gateway/appsettings.json")["TaskQueue"]?["Cluster"];
        var silo = Read("src/Silo/appsettings.json")["TaskQueue"]?["Cluster"];

        foreach (var key in new[] { "ClusterId", "ServiceId", "GatewayPort" })
        {
            Assert.Equal(
                silo?[key]?.ToJsonString() ?? Default(key),
                gateway?[key]?.ToJsonString() ?? Default(key));
        }
    }

    private static string Default(string key) => key switch
    {
        "GatewayPort" => new TaskQueueClusterOptions().GatewayPort.ToString(CultureInfo.InvariantCulture),
        "ClusterId" => $"\"{new TaskQueueClusterOptions().ClusterId}\"",
        _ => $"\"{new TaskQueueClusterOptions().ServiceId}\"",
    };

    private static JsonNode Read(string relativePath) =>
        JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepositoryPaths.Root, relativePath)),
            documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })
        ?? throw new InvalidOperationException($"{relativePath} is empty.");
}
