using EmoFarm.Cli.Shared;
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
            {
                Console.Error.WriteLine(e.Status.Detail);
            }
            else
            {
                foreach (var v in badRequest.FieldViolations)
                    Console.Error.WriteLine($"{v.Field}: {v.Description}");
            }

            return null;
        }
    }

    /// <summary>
    /// The refusals any remote command can meet, said in a line instead of a stack trace: the credential, the
    /// role, the id, or a quota.
    /// </summary>
    public static async Task<int> ExplainAsync(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated)
        {
            Console.Error.WriteLine($"the farm refused the credential ({e.Status.Detail}): give --api-key or --token, or set EMOFARM_API_KEY or EMOFARM_TOKEN");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied)
        {
            Console.Error.WriteLine("this needs an administrator's credential");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.InvalidArgument)
        {
            Console.Error.WriteLine(e.GetRpcStatus()?.GetDetail<BadRequest>() is { } bad
                ? string.Join(Environment.NewLine, bad.FieldViolations.Select(v => $"{v.Field}: {v.Description}"))
                : e.Status.Detail);
            return ExitCodes.InvalidInput;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted)
        {
            Console.Error.WriteLine(e.Status.Detail);
            return ExitCodes.InvalidInput;
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"the farm answered {e.StatusCode}: {e.Status.Detail}");
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            // Anything else is a bug or a broken machine: the whole story, as the parser's handler printed it.
            Console.Error.WriteLine(e);
        }
        return ExitCodes.Failed;
    }
}
