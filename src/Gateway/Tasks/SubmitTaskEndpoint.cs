using Microsoft.Extensions.Options;
using TaskQueue.Gateway.Contracts;
using TaskQueue.Gateway.Diagnostics;
using TaskQueue.Gateway.Hosting;
using TaskQueue.Gateway.Http;
using TaskQueue.Grains.Interfaces;

namespace TaskQueue.Gateway.Tasks;

/// <summary><c>POST /tasks</c>: checks the request, picks the task's id and hands it to the task's grain.</summary>
internal sealed class SubmitTaskEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        ClusterAccess cluster,
        IOptions<GatewayOptions> options,
        GatewayMetrics metrics,
        ILogger<SubmitTaskEndpoint> logger)
    {
        var userId = CallerIdentity.UserIdOf(context);
        var request = context.Request;

        if (!IdempotencyKeys.TryRead(request, out var idempotencyKey, out var keyProblem))
        {
            metrics.Submission(SubmissionOutcome.Rejected);
            return keyProblem!;
        }

        var (body, bodyProblem) = await TaskRequestBody.ReadAsync(
            request,
            options.Value.MaxRequestBodyBytes,
            context.RequestAborted);
        if (bodyProblem is not null)
        {
            metrics.Submission(SubmissionOutcome.Rejected);
            return bodyProblem;
        }

        var parsed = TaskRequestParser.Parse(body);
        if (parsed.Request is not { } input)
        {
            metrics.Submission(SubmissionOutcome.Rejected);
            return Problems.Validation(parsed.Errors!.Summary(), parsed.Errors.ToDictionary());
        }

        var taskId = idempotencyKey is null ? TaskIds.New() : TaskIds.ForIdempotencyKey(userId, idempotencyKey);
        SubmitResult result;
        try
        {
            result = await cluster.Grains.GetGrain<ITaskGrain>(taskId).SubmitAsync(new TaskSubmission
            {
                UserId = userId,
                TaskType = input.TaskType,
                Parameters = input.Parameters,
            });
        }
        catch (ClusterNotConnectedException)
        {
            metrics.Submission(SubmissionOutcome.Unavailable);
            return Problems.Unavailable(
                "The gateway is not connected to the task cluster yet; nothing was submitted. Try again shortly.",
                options.Value.UnavailableRetryAfter);
        }
        catch (Exception e) when (ClusterFailures.IsUnavailable(e))
        {
            // The grain stores before it answers, so no answer means the task may or may not exist now.
            metrics.Submission(SubmissionOutcome.Unavailable);
            GatewayLog.SubmissionOutcomeUnknown(
                logger, e, taskId, userId, ProblemConventions.TraceIdOf(request.HttpContext));
            return Problems.Unavailable(
                idempotencyKey is null
                    ? "The task cluster did not answer, so the task may or may not have been accepted. Send "
                      + $"submissions with an {IdempotencyKeys.HeaderName} header: repeating one is always safe."
                    : "The task cluster did not answer, so the task may or may not have been accepted. Repeat the "
                      + $"request with the same {IdempotencyKeys.HeaderName}: it is safe and tells you which.",
                options.Value.UnavailableRetryAfter);
        }

        GatewayLog.TaskSubmitted(logger, taskId, input.TaskType, userId, result.Outcome.ToString());
        return Answer(result, request.PathBase, userId, options.Value.UserHeader, metrics);
    }

    private static IResult Answer(
        SubmitResult result,
        PathString pathBase,
        string userId,
        string userHeader,
        GatewayMetrics metrics)
    {
        switch (result.Outcome)
        {
            case SubmitOutcome.Accepted:
                metrics.Submission(SubmissionOutcome.Accepted);
                var accepted = TaskResponse.From(Required(result), pathBase);
                return TypedResults.Accepted(TaskRoutes.Task(pathBase, accepted.Id), accepted);

            case SubmitOutcome.AlreadyAccepted:
                metrics.Submission(SubmissionOutcome.AlreadyAccepted);
                return TypedResults.Ok(TaskResponse.From(Required(result), pathBase));

            case SubmitOutcome.Conflict:
                metrics.Submission(SubmissionOutcome.Conflict);
                return Problems.Create(
                    StatusCodes.Status409Conflict,
                    "The idempotency key is taken.",
                    $"This {IdempotencyKeys.HeaderName} was already used for a different task request. Use a new "
                    + "key for a new task.");

            case SubmitOutcome.Invalid:
                metrics.Submission(SubmissionOutcome.Invalid);
                var errors = new FieldErrors();
                foreach (var error in result.Errors)
                {
                    errors.Add(PathOf(error.Field, userHeader), error.Message);
                }

                if (errors.IsEmpty)
                {
                    errors.Add(TaskRequestParser.TaskRequestField, "The task request was refused.");
                }

                return Problems.Validation(errors.Summary(), errors.ToDictionary());

            default:
                throw new InvalidOperationException(
                    $"The task grain answered an unknown outcome {result.Outcome} for user {userId}.");
        }
    }

    private static TaskView Required(SubmitResult result) =>
        result.Task
        ?? throw new InvalidOperationException($"The task grain answered {result.Outcome} without the task.");

    /// <summary>The grain names fields within the submission; the API names them within the request body.</summary>
    private static string PathOf(string grainField, string userHeader) => grainField switch
    {
        "user_id" => userHeader,
        "task_type" => TaskRequestParser.TaskTypeField,
        "params" => TaskRequestParser.ParamsField,
        _ => $"{TaskRequestParser.TaskRequestField}.{grainField}",
    };
}
