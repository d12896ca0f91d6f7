using TaskQueue.Grains.TaskTypes;

namespace TaskQueue.Grains.Tests.TaskTypes;

/// <summary>A task type configured like the silo's default <c>syft</c>.</summary>
internal static class TaskTypeSamples
{
    public static TaskTypesOptions Options(Uri? endpoint = null)
    {
        var options = new TaskTypesOptions();
        options.TaskTypes["syft"] = new TaskTypeOptions
        {
            Endpoint = endpoint ?? new Uri("http://127.0.0.1:9/"),
            Parameters =
            {
                ["docker_image_id"] = new TaskParameterOptions
                {
                    Required = true,
                    MaxLength = 512,
                    Pattern = @"[A-Za-z0-9][A-Za-z0-9._:/@+\-\[\]]*",
                },
                ["format"] = new TaskParameterOptions
                {
                    AllowedValues = ["cyclonedx-json", "spdx-json"],
                    Default = "cyclonedx-json",
                },
            },
        };
        return options;
    }
}
