using Google.Rpc;
using Grpc.Core;

namespace EmoFarm.Cli.Remote;

/// <summary>
/// Prints an INVALID_ARGUMENT's field violations one per line instead of a stack trace; RESOURCE_EXHAUSTED (a file
/// over the server's upload limit) and DEADLINE_EXCEEDED (a file the server could not judge in time) carry the same
/// BadRequest detail.
/// </summary>
internal static class RpcOutput
{
    public static async Task<T?> Guard<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded)
        {
            var badRequest = e.GetRpcStatus()?.GetDetail<BadRequest>();
            if (badRequest is null)
                Console.Error.WriteLine(e.Status.Detail);
            else
                foreach (var v in badRequest.FieldViolations)
                    Console.Error.WriteLine($"{v.Field}: {v.Description}");
            return null;
        }
    }
}
