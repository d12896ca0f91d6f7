namespace TaskQueue.Grains.Results;

/// <summary>A result grew past the task type's limit while it was being stored; nothing was kept.</summary>
public sealed class ResultTooLargeException : Exception
{
    public ResultTooLargeException(long maxBytes)
        : base($"The result is larger than the limit of {maxBytes} bytes.")
    {
        MaxBytes = maxBytes;
    }

    public ResultTooLargeException()
    {
    }

    public ResultTooLargeException(string message)
        : base(message)
    {
    }

    public ResultTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long MaxBytes { get; }
}
