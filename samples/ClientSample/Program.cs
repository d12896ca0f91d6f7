using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using TaskQueue.ClientSample;
using TaskQueue.Grains.Interfaces;

// A .NET service using TaskQueue through its grains, with no HTTP in between:
//   submit <user> <task-type> [name=value ...]   get <user> <task-id>   list <user> [status]
// Where the cluster is: TASKQUEUE_GATEWAYS (host:port[,host:port], default 127.0.0.1:30000),
// TASKQUEUE_CLUSTER_ID and TASKQUEUE_SERVICE_ID (default taskqueue). Answers are JSON on stdout. Exit code 0,
// 1 when the task does not exist for the user or the submission was refused, 2 for wrong arguments.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: submit <user> <task-type> [name=value ...] | get <user> <task-id> | list <user> [status]");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace); // stdout is for answers
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(options =>
    {
        options.ClusterId = Environment.GetEnvironmentVariable("TASKQUEUE_CLUSTER_ID") ?? "taskqueue";
        options.ServiceId = Environment.GetEnvironmentVariable("TASKQUEUE_SERVICE_ID") ?? "taskqueue";
    });

    // Any silo's gateway port will do: on Kubernetes, the silos' Service address.
    var gateways = (Environment.GetEnvironmentVariable("TASKQUEUE_GATEWAYS") ?? "127.0.0.1:30000")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(IPEndPoint.Parse)
        .ToArray();
    client.UseStaticClustering(gateways);
});

using var host = builder.Build();
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await host.StartAsync(timeout.Token);
try
{
    var answer = await new Commands(host.Services.GetRequiredService<IClusterClient>()).RunAsync(args);
    Console.WriteLine(JsonSerializer.Serialize(answer, Json.Options));

    // 1: no such task for the user, or a submission refused (the answer says why).
    return answer is null or SubmitResult { Outcome: not (SubmitOutcome.Accepted or SubmitOutcome.AlreadyAccepted) }
        ? 1
        : 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
finally
{
    await host.StopAsync(CancellationToken.None);
}
