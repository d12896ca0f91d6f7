using TaskQueue.TestSupport.S3;
using Xunit;

namespace TaskQueue.Silo.Tests.Results;

/// <summary>The xunit collection of test classes that share one s3rver process.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverGroup : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
