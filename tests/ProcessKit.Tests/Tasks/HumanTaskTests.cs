using System.Security.Claims;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Tasks;

/// <summary>Human tasks: offered to a role, claimed, released, delegated, completed; the resource patterns.</summary>
public sealed class HumanTaskTests
{
    private static ProcessDefinition Review()
    {
        var p = ProcessBuilder.Create("review", "Review");
        var clerk = p.Role("clerk", "Clerk").HourlyCost(60m);
        var review = p.HumanTask("review", "Review the claim", clerk)
            .FixedCost(2m)
            .Deadline(TimeSpan.FromHours(4))
            .Writes(Field.Number("amount", required: true, minimum: 0), Field.String("note"));
        var pay = p.End("pay", "Pay").Outcome("Paid");
        var reject = p.End("reject", "Reject").Outcome("Rejected");
        review.On("approve", pay).On("reject", reject, PathKind.Alternate);
        return p.Build();
    }

    private static readonly Dictionary<string, object?> Amount = new() { ["amount"] = 120 };

    [Fact]
    public async Task Each_task_command_returns_the_task_as_it_committed_it()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");
        var ann = User("ann", "clerk");

        var claimed = await kit.Engine.ClaimTaskAsync(task.TaskId, ann, Ct);
        var again = await kit.Engine.ClaimTaskAsync(task.TaskId, ann, Ct);
        var released = await kit.Engine.ReleaseTaskAsync(task.TaskId, ann, Ct);
        var delegated = await kit.Engine.DelegateTaskAsync(task.TaskId, ann, "bob", Ct);
        var completed = await kit.Engine.CompleteTaskAsync(task.TaskId, User("bob"), "approve", Amount, Ct);

        Assert.Equal((TaskState.Claimed, "ann"), (claimed.State, claimed.ClaimedBy));
        Assert.Equal((TaskState.Claimed, "ann"), (again.State, again.ClaimedBy));
        Assert.Equal((TaskState.Offered, null), (released.State, released.ClaimedBy));
        Assert.Equal("bob", delegated.AssignedTo);
        Assert.Equal((TaskState.Completed, "approve", "bob"), (completed.State, completed.Outcome, completed.ClaimedBy));
        Assert.Equal(task.TaskId, completed.TaskId);
        var read = await kit.Engine.GetTaskAsync(task.TaskId, Ct);
        Assert.Equal((read.State, read.Outcome, read.ClaimedBy, read.ClosedAt), (completed.State, completed.Outcome, completed.ClaimedBy, completed.ClosedAt));
    }

    [Fact]
    public async Task Resource_role_based_allocation_offers_the_task_to_the_role_and_a_user_outside_it_is_refused()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");
        Assert.Equal("clerk", task.Role);
        Assert.Equal(TaskState.Offered, task.State);
        Assert.Equal(Epoch.AddHours(4), task.DueAt);
        Assert.Equal(["approve", "reject"], task.Outcomes);
        var before = await kit.InstanceAsync(id);

        var error = await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.ClaimTaskAsync(task.TaskId, User("bob", "cook"), Ct).AsTask());
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.CompleteTaskAsync(task.TaskId, User("bob", "cook"), "approve", Amount, Ct).AsTask());

        Assert.Equal(ProcessErrorCodes.NotAuthorized, error.ErrorCode);
        Assert.Equal(task, await kit.Engine.GetTaskAsync(task.TaskId, Ct));
        Assert.Equal(before.Version, (await kit.InstanceAsync(id)).Version);
    }

    [Fact]
    public async Task Claim_then_complete_records_wait_and_work_and_costs_the_role_rate_times_work_time()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");
        var ann = User("ann", "clerk");

        kit.Time.Advance(TimeSpan.FromMinutes(10));
        await kit.Engine.ClaimTaskAsync(task.TaskId, ann, Ct);
        var claimed = await kit.Engine.GetTaskAsync(task.TaskId, Ct);
        Assert.Equal(TaskState.Claimed, claimed.State);
        Assert.Equal("ann", claimed.ClaimedBy);
        kit.Time.Advance(TimeSpan.FromMinutes(30));
        await kit.Engine.CompleteTaskAsync(task.TaskId, ann, "approve", new Dictionary<string, object?> { ["amount"] = 120, ["note"] = "ok" }, Ct);

        var instance = await kit.InstanceAsync(id);
        Assert.Equal("Paid", instance.EndOutcome);
        Assert.Equal(120m, instance.Data["amount"]);
        var history = await kit.HistoryAsync(id);
        var completed = history.Single(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "review");
        Assert.Equal(2m + 30m, completed.Cost);
        Assert.Equal("approve", completed.Detail);
        Assert.Equal("ann", completed.UserId);
        Assert.Equal("clerk", completed.RoleId);
        var claim = history.Single(e => e.Type == HistoryEventType.TaskClaimed);
        Assert.Equal(Epoch.AddMinutes(10), claim.Time);
        Assert.Equal(claim.StepInstance, completed.StepInstance);
        Assert.Equal(TaskState.Completed, (await kit.Engine.GetTaskAsync(task.TaskId, Ct)).State);
    }

    [Fact]
    public async Task Task_outcomes_are_routes()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        await kit.CompleteAsync(id, "review", "reject", Amount);

        var instance = await kit.InstanceAsync(id);
        Assert.Equal("Rejected", instance.EndOutcome);
        var entered = (await kit.HistoryAsync(id)).Single(e => e.Type == HistoryEventType.StepEntered && e.StepId == "reject");
        Assert.Equal(PathKind.Alternate, entered.Path);
    }

    [Fact]
    public async Task Completing_a_task_twice_is_refused_and_changes_nothing()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");
        var ann = User("ann", "clerk");
        await kit.Engine.CompleteTaskAsync(task.TaskId, ann, "approve", Amount, Ct);
        var after = await kit.InstanceAsync(id);
        var historyCount = (await kit.HistoryAsync(id)).Count;

        var error = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.CompleteTaskAsync(task.TaskId, ann, "approve", Amount, Ct).AsTask());

        Assert.Equal(ProcessErrorCodes.TaskClosed, error.ErrorCode);
        Assert.Equal(after.Version, (await kit.InstanceAsync(id)).Version);
        Assert.Equal(historyCount, (await kit.HistoryAsync(id)).Count);
    }

    [Fact]
    public async Task A_wrong_outcome_name_or_bad_data_is_refused_and_changes_nothing()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");
        var ann = User("ann", "clerk");

        var outcome = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.CompleteTaskAsync(task.TaskId, ann, "maybe", Amount, Ct).AsTask());
        var missing = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.CompleteTaskAsync(task.TaskId, ann, "approve", null, Ct).AsTask());
        var wrongType = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.CompleteTaskAsync(task.TaskId, ann, "approve", new Dictionary<string, object?> { ["amount"] = "lots" }, Ct).AsTask());
        var notWritten = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.CompleteTaskAsync(task.TaskId, ann, "approve", new Dictionary<string, object?> { ["amount"] = 1, ["secret"] = 1 }, Ct).AsTask());

        Assert.Equal(ProcessErrorCodes.UnknownOutcome, outcome.ErrorCode);
        Assert.Contains("approve, reject", outcome.Message, StringComparison.Ordinal);
        Assert.All([missing, wrongType, notWritten], e => Assert.Equal(ProcessErrorCodes.TaskDataInvalid, e.ErrorCode));
        Assert.Equal(task, await kit.Engine.GetTaskAsync(task.TaskId, Ct));
        Assert.Equal(1, (await kit.InstanceAsync(id)).Version);
    }

    [Fact]
    public async Task An_unknown_task_id_is_a_not_found_error()
    {
        var kit = new EngineTestKit();
        var error = await Assert.ThrowsAsync<ProcessNotFoundException>(() => kit.Engine.CompleteTaskAsync(404, User("ann", "clerk"), null, null, Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.TaskNotFound, error.ErrorCode);
        await Assert.ThrowsAsync<ProcessNotFoundException>(() => kit.Engine.ClaimTaskAsync(404, User("ann", "clerk"), Ct).AsTask());
    }

    [Fact]
    public async Task A_claimed_task_is_held_another_user_cannot_claim_or_complete_it_and_release_gives_it_back()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");
        var ann = User("ann", "clerk");
        var carl = User("carl", "clerk");
        await kit.Engine.ClaimTaskAsync(task.TaskId, ann, Ct);
        await kit.Engine.ClaimTaskAsync(task.TaskId, ann, Ct);

        var claim = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.ClaimTaskAsync(task.TaskId, carl, Ct).AsTask());
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.CompleteTaskAsync(task.TaskId, carl, "approve", Amount, Ct).AsTask());
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.ReleaseTaskAsync(task.TaskId, carl, Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.TaskClaimedByOther, claim.ErrorCode);

        await kit.Engine.ReleaseTaskAsync(task.TaskId, ann, Ct);
        Assert.Equal(TaskState.Offered, (await kit.Engine.GetTaskAsync(task.TaskId, Ct)).State);
        await kit.Engine.CompleteTaskAsync(task.TaskId, carl, "approve", Amount, Ct);
        var history = await kit.HistoryAsync(id);
        Assert.Equal(["ann", "carl"], history.Where(e => e.Type == HistoryEventType.TaskClaimed).Select(e => e.UserId));
        Assert.Single(history, e => e.Type == HistoryEventType.TaskReleased);
    }

    [Fact]
    public async Task Resource_delegation_hands_the_task_to_a_named_user_even_outside_the_role()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");
        var ann = User("ann", "clerk");
        var expert = User("eve");
        await kit.Engine.ClaimTaskAsync(task.TaskId, ann, Ct);

        await kit.Engine.DelegateTaskAsync(task.TaskId, ann, "eve", Ct);

        var delegated = await kit.Engine.GetTaskAsync(task.TaskId, Ct);
        Assert.Equal("eve", delegated.AssignedTo);
        Assert.Null(delegated.ClaimedBy);
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.ClaimTaskAsync(task.TaskId, ann, Ct).AsTask());
        Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { AvailableTo = expert }, Ct));
        Assert.Empty(await kit.Engine.QueryTasksAsync(new TaskQuery { AvailableTo = ann }, Ct));
        await kit.Engine.CompleteTaskAsync(task.TaskId, expert, "approve", Amount, Ct);
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        Assert.Contains(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.TaskDelegated && e.Detail == "eve" && e.UserId == "ann");
    }

    [Fact]
    public async Task Tasks_can_be_queried_by_role_user_instance_state_and_due_date()
    {
        var kit = new EngineTestKit();
        var first = await kit.DeployAndStartAsync(Review());
        kit.Time.Advance(TimeSpan.FromHours(1));
        var second = await kit.Engine.StartAsync("review", cancellationToken: Ct);
        var secondTask = await kit.OpenTaskAsync(second, "review");
        await kit.Engine.ClaimTaskAsync(secondTask.TaskId, User("ann", "clerk"), Ct);

        Assert.Equal(2, (await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct)).Count);
        Assert.Equal(second, Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { User = "ann" }, Ct)).Instance);
        Assert.Equal(first, Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { State = TaskState.Offered }, Ct)).Instance);
        Assert.Equal(first, Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { DueBefore = Epoch.AddHours(4) }, Ct)).Instance);
        Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Instance = second }, Ct));
        Assert.Empty(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "cook" }, Ct));
    }

    [Fact]
    public async Task A_user_made_from_a_claims_principal_acts_in_the_roles_its_claims_name()
    {
        var identity = new ClaimsIdentity([new Claim("sub", "ann"), new Claim("role", "clerk")], "test");
        var user = ProcessUser.FromClaimsPrincipal(new ClaimsPrincipal(identity), roleClaimType: "role", idClaimType: "sub");
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");

        await kit.Engine.CompleteTaskAsync(task.TaskId, user, "approve", Amount, Ct);

        Assert.Equal("ann", user.Id);
        Assert.True(user.IsInRole("clerk"));
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task Two_users_completing_the_same_task_at_once_one_wins_and_the_other_gets_a_typed_error()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Review());
        var task = await kit.OpenTaskAsync(id, "review");

        var attempts = new[] { "ann", "carl" }.Select(u => Task.Run(async () =>
        {
            try
            {
                await kit.Engine.CompleteTaskAsync(task.TaskId, User(u, "clerk"), "approve", Amount, Ct);
                return null;
            }
            catch (ProcessKitException ex)
            {
                return ex.ErrorCode;
            }
        }, Ct));
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r == ProcessErrorCodes.TaskClosed);
        Assert.Single(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.StepCompleted && e.StepId == "review");
    }

    [Fact]
    public async Task Two_engines_sharing_a_store_conflict_and_retry_without_losing_a_change()
    {
        var kit = new EngineTestKit();
        var other = new ProcessEngine(new ProcessEngineOptions { TimeProvider = kit.Time, Store = kit.Store });
        var p = ProcessBuilder.Create("pair", "Pair");
        var clerk = p.Role("clerk", "Clerk");
        var split = p.ParallelSplit("split", "Split");
        var a = p.HumanTask("a", "A", clerk);
        var b = p.HumanTask("b", "B", clerk);
        var join = p.ParallelJoin("join", "Join", split);
        var done = p.End("done", "Done");
        split.Branch(a).Branch(b);
        a.Then(join);
        b.Then(join);
        join.Then(done);
        var id = await kit.DeployAndStartAsync(p.Build());
        var taskA = await kit.OpenTaskAsync(id, "a");
        var taskB = await kit.OpenTaskAsync(id, "b");

        await Task.WhenAll(
            Task.Run(async () => await kit.Engine.CompleteTaskAsync(taskA.TaskId, User("ann", "clerk"), cancellationToken: Ct), Ct),
            Task.Run(async () => await other.CompleteTaskAsync(taskB.TaskId, User("carl", "clerk"), cancellationToken: Ct), Ct));

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(3, instance.Version);
    }
}
