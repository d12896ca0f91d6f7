using TaskQueue.TestSupport.Images;

namespace TaskQueue.SyftService.Tests.Support;

/// <summary>Tests that share one real registry with the test image pushed to it.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRegistry : ICollectionFixture<RegistryImageFixture>
{
    public const string Name = "Registry with the test image";
}
