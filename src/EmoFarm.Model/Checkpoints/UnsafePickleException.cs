namespace EmoFarm.Model.Checkpoints;

/// <summary>
/// A <c>torch.save</c> pickle asks for something a tensor state dict never needs (a function such as os.system, an
/// object construction opcode). Nothing of it was executed: the reader only recognises data.
/// </summary>
public sealed class UnsafePickleException : Exception
{
    public UnsafePickleException()
    {
    }

    public UnsafePickleException(string message)
        : base(message)
    {
    }

    public UnsafePickleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
