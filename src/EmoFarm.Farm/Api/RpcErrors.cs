using EmoFarm.Farm.Submission;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace EmoFarm.Farm.Api;

/// <summary>gRPC errors with google.rpc details, so clients can show which field broke which limit.</summary>
public static class RpcErrors
{
    public static RpcException InvalidArgument(IReadOnlyList<FieldViolation> violations) => WithBadRequest(Code.InvalidArgument, violations);

    /// <summary>
    /// Inputs that could not be judged in time (<see cref="FieldViolation.TimedOut"/>), with the same BadRequest
    /// detail: a status clients retry, because the same valid file may well pass on a less busy orchestrator.
    /// </summary>
    public static RpcException DeadlineExceeded(IReadOnlyList<FieldViolation> violations) => WithBadRequest(Code.DeadlineExceeded, violations);

    /// <summary>INVALID_ARGUMENT, unless every violation is a timeout: a request with a certain fault would only fail again.</summary>
    public static RpcException Refused(IReadOnlyList<FieldViolation> violations) =>
        violations.Count > 0 && violations.All(v => v.TimedOut) ? DeadlineExceeded(violations) : InvalidArgument(violations);

    public static RpcException InvalidArgument(string field, string description) => InvalidArgument([new FieldViolation(field, description)]);

    /// <summary>A size limit, with the same BadRequest detail as <see cref="InvalidArgument(string, string)"/> so clients read one shape.</summary>
    public static RpcException ResourceExhausted(string field, string description) =>
        WithBadRequest(Code.ResourceExhausted, [new FieldViolation(field, description)]);

    private static RpcException WithBadRequest(Code code, IReadOnlyList<FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return new Google.Rpc.Status
        {
            Code = (int)code,
            Message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")),
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
