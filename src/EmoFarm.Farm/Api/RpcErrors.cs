using EmoFarm.Farm.Submission;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace EmoFarm.Farm.Api;

/// <summary>gRPC errors with google.rpc details, so clients can show which field broke which limit.</summary>
public static class RpcErrors
{
    public static RpcException InvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")),
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    public static RpcException InvalidArgument(string field, string description) => InvalidArgument([new FieldViolation(field, description)]);

    /// <summary>A size limit, with the same BadRequest detail as <see cref="InvalidArgument(string, string)"/> so clients read one shape.</summary>
    public static RpcException ResourceExhausted(string field, string description)
    {
        var badRequest = new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } };
        return new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"{field}: {description}",
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    /// <summary>A tenant's quota, with google.rpc.QuotaFailure naming the tenant and the quota, and when to try again if a wait helps.</summary>
    public static RpcException QuotaExceeded(string subject, string quota, string description, TimeSpan? retryAfter = null)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = description,
            Details = { Any.Pack(new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = subject, Description = $"{quota}: {description}" } } }) },
        };
        if (retryAfter is { } wait)
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(wait) }));
        return status.ToRpcException();
    }

    public static RpcException NotFound(string id) => new(new Grpc.Core.Status(StatusCode.NotFound, $"render {id} does not exist"));

    public static RpcException FailedPrecondition(string message) => new(new Grpc.Core.Status(StatusCode.FailedPrecondition, message));
}
