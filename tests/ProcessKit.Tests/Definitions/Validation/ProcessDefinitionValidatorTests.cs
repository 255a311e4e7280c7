using ProcessKit.Definitions;
using ProcessKit.Definitions.Validation;
using static ProcessKit.Tests.Definitions.Validation.Sample;

namespace ProcessKit.Tests.Definitions.Validation;

public sealed class ProcessDefinitionValidatorTests
{
    private static DefinitionProblem AssertProblem(ProcessDefinition definition, string code, string path, ProblemSeverity severity = ProblemSeverity.Error)
    {
        var problems = ProcessDefinitionValidator.Validate(definition);
        var found = problems.Where(p => p.Code == code && p.Path == path).ToList();
        Assert.True(found.Count == 1, $"Expected one '{code}' at '{path}', found:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        var problem = found[0];
        Assert.Equal(severity, problem.Severity);
        Assert.False(string.IsNullOrWhiteSpace(problem.Message));
        Assert.False(string.IsNullOrWhiteSpace(problem.Hint));
        return problem;
    }

    private static ProcessDefinition Replace(ProcessDefinition definition, string stepId, Func<StepDefinition, StepDefinition> change) =>
        definition with { Steps = [.. definition.Steps.Select(s => s.Id == stepId ? change(s) : s)] };

    [Fact]
    public void A_valid_definition_has_no_problem()
    {
        var problems = ProcessDefinitionValidator.Validate(Cafe());

        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_smallest_valid_definition_has_no_problem()
    {
        Assert.Empty(ProcessDefinitionValidator.Validate(Process(Task("a", "end"), End())));
    }

    [Fact]
    public void Validate_refuses_null()
    {
        Assert.Throws<ArgumentNullException>(() => ProcessDefinitionValidator.Validate(null!));
    }

    // Rule 1: structure.
    [Fact]
    public void A_process_without_steps_is_refused()
    {
        AssertProblem(Process(), DefinitionProblemCodes.Required, "/steps");
    }

    [Fact]
    public void A_start_step_that_does_not_exist_is_refused()
    {
        var problem = AssertProblem(Process(Task("a", "end"), End()) with { StartStep = "A" }, DefinitionProblemCodes.UnknownStep, "/start");
        Assert.Contains("'a'", problem.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1cafe")]
    [InlineData("cafe serve")]
    [InlineData("cafe/serve")]
    public void A_process_id_in_the_wrong_form_is_refused(string id)
    {
        AssertProblem(Process(Task("a", "end"), End()) with { Id = id }, DefinitionProblemCodes.InvalidId, "/id");
    }

    [Fact]
    public void Ids_and_names_in_the_wrong_form_are_refused()
    {
        var definition = Process(Task("a.b", "end"), End()) with
        {
            Roles = [new RoleDefinition("Clerk", "Clerk"), new RoleDefinition("head of sales", "Head")],
            Suppliers = [new Supplier("customer", "Customer") { Inputs = [new DataField("amount", DataType.Number), new DataField("e-mail", DataType.String)] }],
        };
        definition = Replace(definition, "a.b", s => ((HumanTaskStep)s) with { MultiInstance = new MultiInstance("amount", "1item") });

        AssertProblem(definition, DefinitionProblemCodes.InvalidId, "/steps/0/id");
        AssertProblem(definition, DefinitionProblemCodes.InvalidId, "/roles/1/id");
        AssertProblem(definition, DefinitionProblemCodes.InvalidId, "/suppliers/0/inputs/1/name");
        AssertProblem(definition, DefinitionProblemCodes.InvalidId, "/steps/0/multiInstance/itemName");
    }

    [Fact]
    public void Empty_required_strings_are_refused()
    {
        var definition = Process(Task("a", "b"), new AutomatedStep("b", "", " ") { Flows = [To("end")] }, End()) with { Name = "" };

        AssertProblem(definition, DefinitionProblemCodes.Required, "/name");
        AssertProblem(definition, DefinitionProblemCodes.Required, "/steps/1/name");
        AssertProblem(definition, DefinitionProblemCodes.Required, "/steps/1/handler");
    }

    [Fact]
    public void A_version_below_one_is_refused()
    {
        AssertProblem(Process(Task("a", "end"), End()) with { Version = 0 }, DefinitionProblemCodes.InvalidValue, "/version");
    }

    // Rule 2: duplicate ids.
    [Fact]
    public void Duplicate_ids_are_reported_at_the_second_occurrence()
    {
        var definition = Process(Task("a", "end"), Task("a", "end"), End()) with
        {
            Roles = [new RoleDefinition("Clerk", "Clerk"), new RoleDefinition("Clerk", "Clerk again")],
            Clients = [new Client("c", "C") { Outputs = [new DataField("x", DataType.String), new DataField("x", DataType.Number)] }, new Client("c", "C2")],
            Deadlines = [new DeadlineDefinition("d", "a", DueTime.In(TimeSpan.FromHours(1))), new DeadlineDefinition("d", "a", DueTime.In(TimeSpan.FromHours(2)))],
        };
        definition = definition with { Suppliers = [.. definition.Suppliers, new Supplier("customer", "Again")] };

        AssertProblem(definition, DefinitionProblemCodes.DuplicateId, "/steps/1/id");
        AssertProblem(definition, DefinitionProblemCodes.DuplicateId, "/roles/1/id");
        AssertProblem(definition, DefinitionProblemCodes.DuplicateId, "/suppliers/1/id");
        AssertProblem(definition, DefinitionProblemCodes.DuplicateId, "/clients/1/id");
        AssertProblem(definition, DefinitionProblemCodes.DuplicateId, "/clients/0/outputs/1/name");
        AssertProblem(definition, DefinitionProblemCodes.DuplicateId, "/deadlines/1/id");
    }

    [Fact]
    public void A_task_outcome_declared_twice_is_refused()
    {
        var definition = Process(new HumanTaskStep("a", "A") { Role = "Clerk", Outcomes = ["ok", "ok"], Flows = [To("end")] }, End());

        AssertProblem(definition, DefinitionProblemCodes.DuplicateId, "/steps/0/outcomes/1");
    }

    // Rule 3: references to unknown steps.
    [Fact]
    public void References_to_unknown_steps_are_refused()
    {
        var task = new HumanTaskStep("a", "A")
        {
            Role = "Clerk",
            Flows = [To("nowhere")],
            Escalations = [new Escalation(EscalationAction.TakePath) { To = "ghost" }],
            Allocation = new Allocation { SeparateFrom = ["end", "missing"], RetainFamiliar = "lost" },
        };
        var wait = new WaitMessageStep("w", "W", "m") { Timeout = new MessageTimeout(DueTime.In(TimeSpan.FromHours(1)), "gone"), Flows = [To("end")] };
        var definition = Process(task, wait, End()) with
        {
            Deadlines = [new DeadlineDefinition("d", "from-x", DueTime.In(TimeSpan.FromHours(1))) { Until = "until-x" }],
        };

        AssertProblem(definition, DefinitionProblemCodes.UnknownStep, "/steps/0/next/0/to");
        AssertProblem(definition, DefinitionProblemCodes.UnknownStep, "/steps/0/escalations/0/to");
        AssertProblem(definition, DefinitionProblemCodes.UnknownStep, "/steps/0/allocation/separateFrom/1");
        AssertProblem(definition, DefinitionProblemCodes.UnknownStep, "/steps/0/allocation/retainFamiliar");
        AssertProblem(definition, DefinitionProblemCodes.UnknownStep, "/steps/1/timeout/to");
        AssertProblem(definition, DefinitionProblemCodes.UnknownStep, "/deadlines/0/from");
        AssertProblem(definition, DefinitionProblemCodes.UnknownStep, "/deadlines/0/until");
    }

    // Rule 4: flows per kind.
    [Fact]
    public void An_end_step_with_a_flow_is_refused()
    {
        AssertProblem(Process(Task("a", "end"), End() with { Flows = [To("a")] }), DefinitionProblemCodes.InvalidFlow, "/steps/1/next");
    }

    [Fact]
    public void A_step_of_a_single_flow_kind_with_two_flows_or_a_condition_is_refused()
    {
        var definition = Process(
            Auto("a", "b") with { Flows = [To("b"), To("end")] },
            new TimerStep("b", "B", DueTime.In(TimeSpan.FromMinutes(1))) { Flows = [To("end") with { When = "amount > 1" }] },
            new NotificationStep("n", "N") { Role = "Clerk" },
            End());

        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/0/next/1");
        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/1/next/0/when");
        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/2");
    }

    [Fact]
    public void A_parallel_split_needs_two_flows_without_conditions()
    {
        var definition = Process(
            new ParallelSplitStep("s", "S") { Flows = [To("a") with { IsDefault = true }] },
            Task("a", "j"),
            new ParallelJoinStep("j", "J", "s") { Flows = [To("end")] },
            End());

        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/0/next");
        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/0/next/0/default");
    }

    [Fact]
    public void A_decision_needs_conditions_and_one_default()
    {
        var noDefault = Process(
            new DecisionStep("d", "D") { Flows = [To("a") with { When = "amount > 1" }, To("end") with { When = "amount <= 1" }] },
            Task("a", "end"),
            End());
        var badFlows = Process(
            new DecisionStep("d", "D") { Flows = [To("a"), To("end") with { IsDefault = true, When = "amount > 1" }, To("a") with { IsDefault = true }] },
            Task("a", "end"),
            End());

        AssertProblem(noDefault, DefinitionProblemCodes.DecisionWithoutDefault, "/steps/0/next");
        AssertProblem(badFlows, DefinitionProblemCodes.InvalidFlow, "/steps/0/next/0");
        AssertProblem(badFlows, DefinitionProblemCodes.InvalidFlow, "/steps/0/next/1/when");
        AssertProblem(badFlows, DefinitionProblemCodes.DecisionWithoutDefault, "/steps/0/next/2/default");
    }

    [Fact]
    public void An_inclusive_split_needs_conditions_and_at_most_one_default()
    {
        var definition = Process(
            new InclusiveSplitStep("s", "S") { Flows = [To("a") with { When = "amount > 1" }, To("b")] },
            Task("a", "m"),
            Task("b", "m"),
            new InclusiveMergeStep("m", "M", "s") { Flows = [To("end")] },
            End());

        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/0/next/1");
        Assert.DoesNotContain(ProcessDefinitionValidator.Validate(definition), p => p.Code == DefinitionProblemCodes.DecisionWithoutDefault);
    }

    [Fact]
    public void An_event_choice_leads_only_to_waits_timers_and_tasks()
    {
        var definition = Process(
            new EventChoiceStep("e", "E") { Flows = [To("w"), To("x")] },
            new WaitMessageStep("w", "W", "reply") { Flows = [To("end")] },
            Auto("x", "end"),
            End());

        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/0/next/1/to");
    }

    [Fact]
    public void Every_outcome_needs_a_route_and_every_routed_outcome_must_be_declared()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Role = "Clerk", Outcomes = ["yes", "no", "later"], Flows = [To("end") with { Outcome = "yes" }, To("end") with { Outcome = "maybe" }] },
            End());

        AssertProblem(definition, DefinitionProblemCodes.OutcomeWithoutRoute, "/steps/0/outcomes/1");
        AssertProblem(definition, DefinitionProblemCodes.OutcomeWithoutRoute, "/steps/0/outcomes/2");
        AssertProblem(definition, DefinitionProblemCodes.OutcomeWithoutRoute, "/steps/0/next/1/outcome");
    }

    [Fact]
    public void A_catch_all_flow_routes_every_outcome()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Role = "Clerk", Outcomes = ["yes", "no"], Flows = [To("b") with { Outcome = "yes" }, To("end")] },
            Task("b", "end"),
            End());

        Assert.Empty(ProcessDefinitionValidator.Validate(definition));
    }

    [Fact]
    public void A_task_without_outcomes_has_exactly_one_flow_without_outcome()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Role = "Clerk", Flows = [To("end"), To("end") with { Outcome = "done" }] },
            new HumanTaskStep("b", "B") { Role = "Clerk" },
            End());

        AssertProblem(definition, DefinitionProblemCodes.OutcomeWithoutRoute, "/steps/0/next/1/outcome");
        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/0/next/1");
        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/1");
        Assert.DoesNotContain(ProcessDefinitionValidator.Validate(definition), static p => p.Path == "/steps/0/next/0");
    }

    [Fact]
    public void A_task_with_outcomes_has_at_most_one_catch_all_flow()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Role = "Clerk", Outcomes = ["yes"], Flows = [To("end"), To("end")] },
            End());

        AssertProblem(definition, DefinitionProblemCodes.InvalidFlow, "/steps/0/next/1");
    }

    // Rule 5: reachability.
    [Fact]
    public void A_step_that_cannot_be_reached_is_refused()
    {
        AssertProblem(Process(Task("a", "end"), Task("orphan", "end"), End()), DefinitionProblemCodes.UnreachableStep, "/steps/1");
    }

    [Fact]
    public void Escalation_and_timeout_targets_count_as_reachable()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Role = "Clerk", Flows = [To("w")], Escalations = [new Escalation(EscalationAction.TakePath) { To = "late", At = DueTime.In(TimeSpan.FromHours(1)) }] },
            new WaitMessageStep("w", "W", "reply") { Timeout = new MessageTimeout(DueTime.In(TimeSpan.FromDays(2)), "lost"), Flows = [To("end")] },
            Task("late", "end"),
            End("lost"),
            End());

        Assert.Empty(ProcessDefinitionValidator.Validate(definition));
    }

    [Fact]
    public void A_loop_with_no_way_out_has_no_path_to_an_end()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Role = "Clerk", Outcomes = ["done", "again"], Flows = [To("end") with { Outcome = "done" }, To("b") with { Outcome = "again" }] },
            Task("b", "c"),
            Task("c", "b"),
            End());

        AssertProblem(definition, DefinitionProblemCodes.NoPathToEnd, "/steps/1");
        AssertProblem(definition, DefinitionProblemCodes.NoPathToEnd, "/steps/2");
    }

    [Fact]
    public void A_process_without_an_end_step_is_one_error()
    {
        var problems = ProcessDefinitionValidator.Validate(Process(Task("a", "b"), Task("b", "a")));

        var problem = Assert.Single(problems, p => p.Code == DefinitionProblemCodes.NoPathToEnd);
        Assert.Equal("/steps", problem.Path);
    }

    // Rule 6: splits and joins.
    [Fact]
    public void A_join_must_name_a_split_of_its_kind()
    {
        var definition = Process(
            new ParallelSplitStep("s", "S") { Flows = [To("a"), To("b")] },
            Task("a", "j"),
            Task("b", "j"),
            new ParallelJoinStep("j", "J", "a") { Flows = [To("m")] },
            new InclusiveMergeStep("m", "M", "nothing") { Flows = [To("end")] },
            End());

        AssertProblem(definition, DefinitionProblemCodes.JoinWithoutSplit, "/steps/3/split");
        AssertProblem(definition, DefinitionProblemCodes.JoinWithoutSplit, "/steps/4/split");
        AssertProblem(definition, DefinitionProblemCodes.SplitNeverJoined, "/steps/0");
    }

    [Fact]
    public void A_split_joined_twice_or_with_a_branch_that_never_arrives_is_refused()
    {
        var definition = Process(
            new ParallelSplitStep("s", "S") { Flows = [To("a"), To("b")] },
            Task("a", "j"),
            Task("b", "end2"),
            new ParallelJoinStep("j", "J", "s") { Flows = [To("j2")] },
            new ParallelJoinStep("j2", "J2", "s") { Flows = [To("end")] },
            End(),
            End("end2"));

        AssertProblem(definition, DefinitionProblemCodes.SplitNeverJoined, "/steps/4/split");
        AssertProblem(definition, DefinitionProblemCodes.SplitNeverJoined, "/steps/0/next/1");
    }

    // Rule 7: roles.
    [Fact]
    public void Roles_must_be_declared_and_tasks_and_notifications_need_one()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Flows = [To("b")], Escalations = [new Escalation(EscalationAction.NotifyRole), new Escalation(EscalationAction.Reassign) { Role = "Boss" }, new Escalation(EscalationAction.TakePath)] },
            Task("b", "n", role: "clerk"),
            new NotificationStep("n", "N") { Flows = [To("end")] },
            End()) with { OwnerRole = "Owner" };

        AssertProblem(definition, DefinitionProblemCodes.UnknownRole, "/ownerRole");
        AssertProblem(definition, DefinitionProblemCodes.TaskWithoutRole, "/steps/0");
        AssertProblem(definition, DefinitionProblemCodes.Required, "/steps/0/escalations/0");
        AssertProblem(definition, DefinitionProblemCodes.UnknownRole, "/steps/0/escalations/1/role");
        AssertProblem(definition, DefinitionProblemCodes.Required, "/steps/0/escalations/2");
        var wrongCase = AssertProblem(definition, DefinitionProblemCodes.UnknownRole, "/steps/1/role");
        Assert.Contains("'Clerk'", wrongCase.Hint, StringComparison.Ordinal);
        AssertProblem(definition, DefinitionProblemCodes.Required, "/steps/2");
    }

    // Rule 8: expressions.
    [Fact]
    public void An_expression_that_does_not_parse_is_refused_with_its_position()
    {
        var definition = Process(
            new DecisionStep("d", "D") { Flows = [To("end") with { When = "amount >" }, To("end") with { IsDefault = true }] },
            End());

        var problem = AssertProblem(definition, DefinitionProblemCodes.ExpressionSyntax, "/steps/0/next/0/when");
        Assert.Contains("column 8", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expression_reading_an_undeclared_field_is_refused()
    {
        var definition = Process(
            new DecisionStep("d", "D") { Flows = [To("end") with { When = "Amount > 100 && email != ''" }, To("end") with { IsDefault = true }] },
            End());

        var problem = AssertProblem(definition, DefinitionProblemCodes.UnknownField, "/steps/0/next/0/when");
        Assert.Contains("'amount'", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expression_calling_an_unknown_function_is_refused()
    {
        var definition = Process(
            new WaitMessageStep("w", "W", "reply") { Correlation = "System.IO.File.Exists(email)", Flows = [To("end")] },
            End());

        AssertProblem(definition, DefinitionProblemCodes.UnknownFunction, "/steps/0/correlation");
    }

    [Fact]
    public void Written_fields_dotted_names_and_sub_process_outputs_are_known()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Role = "Clerk", Writes = [new DataField("lead", DataType.Object)], Flows = [To("sub")] },
            new SubProcessStep("sub", "Sub", "other") { Inputs = [new DataMapping("mail", "lead.email")], Outputs = [new DataMapping("score", "childOnlyField * 2")], Flows = [To("d")] },
            new DecisionStep("d", "D") { Flows = [To("end") with { When = "score > 1 && [lead.phone] != ''" }, To("end") with { IsDefault = true }] },
            End());

        Assert.Empty(ProcessDefinitionValidator.Validate(definition));
    }

    [Fact]
    public void A_multi_instance_item_is_known_inside_its_step_only()
    {
        var definition = Process(
            new HumanTaskStep("a", "A")
            {
                Role = "Clerk",
                Writes = [new DataField("dishes", DataType.List)],
                MultiInstance = new MultiInstance("dishes", "dish"),
                Allocation = new Allocation { Strategy = AllocationStrategy.Expression, Assignee = "dish.cook" },
                Flows = [To("b")],
            },
            new HumanTaskStep("b", "B") { Role = "Clerk", Allocation = new Allocation { Strategy = AllocationStrategy.Expression, Assignee = "dish.cook" }, Flows = [To("end")] },
            End());

        var problems = ProcessDefinitionValidator.Validate(definition);

        var problem = Assert.Single(problems);
        Assert.Equal(DefinitionProblemCodes.UnknownField, problem.Code);
        Assert.Equal("/steps/1/allocation/assignee", problem.Path);
    }

    [Fact]
    public void Lambda_expressions_are_not_checked()
    {
        var definition = Process(
            new DecisionStep("d", "D") { Flows = [To("end") with { When = ProcessExpression.FromLambda(static data => data["anything"]) }, To("end") with { IsDefault = true }] },
            End());

        Assert.Empty(ProcessDefinitionValidator.Validate(definition));
    }

    // Rule 9: values.
    [Fact]
    public void Zero_and_negative_durations_are_refused_everywhere()
    {
        var zero = TimeSpan.Zero;
        var negative = TimeSpan.FromMinutes(-5);
        var definition = Process(
            new HumanTaskStep("a", "A")
            {
                Role = "Clerk",
                WorkTime = zero,
                GoalTime = negative,
                Deadline = DueTime.In(zero),
                Escalations = [new Escalation(EscalationAction.Remind) { At = DueTime.In(negative) }],
                Flows = [To("b")],
            },
            new AutomatedStep("b", "B", "H") { Timeout = zero, Retry = new RetryPolicy { Delay = zero, MaxDelay = negative }, Flows = [To("t")] },
            new TimerStep("t", "T", DueTime.In(negative)) { Flows = [To("w")] },
            new WaitMessageStep("w", "W", "m") { Timeout = new MessageTimeout(DueTime.In(zero), "end"), Flows = [To("end")] },
            End()) with
        {
            Deadlines = [new DeadlineDefinition("d", "a", DueTime.In(zero)) { GoalTime = negative }],
            Triggers = [TriggerDefinition.Every(zero)],
            Targets = new ProcessTargets { CycleTime = negative },
        };

        string[] paths =
        [
            "/steps/0/workTime", "/steps/0/goalTime", "/steps/0/deadline/after", "/steps/0/escalations/0/at/after",
            "/steps/1/retry/delay", "/steps/1/retry/maxDelay", "/steps/1/timeout", "/steps/2/wait/after", "/steps/3/timeout/after/after",
            "/deadlines/0/within/after", "/deadlines/0/goalTime", "/targets/cycleTime", "/triggers/0/every",
        ];
        foreach (var path in paths)
        {
            AssertProblem(definition, DefinitionProblemCodes.InvalidValue, path);
        }
    }

    [Fact]
    public void Out_of_range_numbers_are_refused()
    {
        var definition = Process(
            new HumanTaskStep("a", "A")
            {
                Role = "Clerk",
                FixedCost = -1,
                Writes = [new DataField("score", DataType.Number) { Minimum = 5, Maximum = 1 }, new DataField("list", DataType.List)],
                MultiInstance = new MultiInstance("list", "item") { RequiredCompletions = 0 },
                Flows = [To("b")],
            },
            new AutomatedStep("b", "B", "H") { Retry = new RetryPolicy { MaxAttempts = 0, BackoffMultiplier = 0.5 }, Flows = [To("s")] },
            new SubProcessStep("s", "S", "other") { Version = 0, Flows = [To("end")] },
            End()) with
        {
            Roles = [new RoleDefinition("Clerk", "Clerk") { HourlyCost = -10 }],
            Targets = new ProcessTargets { CostPerInstance = -1 },
        };

        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/roles/0/hourlyCost");
        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/steps/0/fixedCost");
        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/steps/0/writes/0/minimum");
        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/steps/0/multiInstance/requiredCompletions");
        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/steps/1/retry/maxAttempts");
        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/steps/1/retry/backoffMultiplier");
        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/steps/2/version");
        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/targets/costPerInstance");
    }

    [Fact]
    public void An_allocation_strategy_and_its_assignee_must_agree()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Role = "Clerk", Allocation = new Allocation { Strategy = AllocationStrategy.Expression }, Flows = [To("b")] },
            new HumanTaskStep("b", "B") { Role = "Clerk", Allocation = new Allocation { Strategy = AllocationStrategy.RoundRobin, Assignee = "email" }, Flows = [To("end")] },
            End());

        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/steps/0/allocation");
        AssertProblem(definition, DefinitionProblemCodes.InvalidValue, "/steps/1/allocation/assignee");
    }

    // Rule 10: the satisfaction field.
    [Theory]
    [InlineData("rating")]
    [InlineData("email")]
    public void The_satisfaction_field_must_be_a_declared_number(string field)
    {
        var definition = Process(Task("a", "end"), End()) with { Targets = new ProcessTargets { SatisfactionField = field } };

        AssertProblem(definition, DefinitionProblemCodes.UnknownField, "/targets/satisfactionField");
    }

    // Rule 11: recursion.
    [Fact]
    public void A_process_that_calls_itself_on_every_path_is_refused()
    {
        var definition = Process(
            Task("a", "again"),
            new SubProcessStep("again", "Again", "sample") { Flows = [To("end")] },
            End());

        AssertProblem(definition, DefinitionProblemCodes.RecursiveSubProcess, "/steps/1/process");
    }

    [Fact]
    public void A_process_that_calls_itself_with_an_exit_is_accepted()
    {
        var definition = Process(
            new DecisionStep("d", "D") { Flows = [To("again") with { When = "amount > 1" }, To("end") with { IsDefault = true }] },
            new SubProcessStep("again", "Again", "sample") { Inputs = [new DataMapping("amount", "amount - 1")], Flows = [To("end")] },
            End());

        Assert.Empty(ProcessDefinitionValidator.Validate(definition));
    }

    // Rule 12: loops that never wait.
    [Fact]
    public void A_loop_of_steps_that_never_wait_is_a_warning_at_its_first_step()
    {
        var definition = Process(
            Task("start", "a"),
            Auto("a", "b"),
            Auto("b", "d"),
            new DecisionStep("d", "D") { Flows = [To("a") with { When = "amount > 1" }, To("end") with { IsDefault = true }] },
            End());

        var problems = ProcessDefinitionValidator.Validate(definition);

        var warning = Assert.Single(problems);
        Assert.Equal(DefinitionProblemCodes.AutomatedLoop, warning.Code);
        Assert.Equal(ProblemSeverity.Warning, warning.Severity);
        Assert.Equal("/steps/1", warning.Path);
    }

    [Fact]
    public void A_loop_through_a_human_task_is_no_warning()
    {
        var definition = Process(
            Auto("a", "t"),
            Task("t", "d"),
            new DecisionStep("d", "D") { Flows = [To("a") with { When = "amount > 1" }, To("end") with { IsDefault = true }] },
            End());

        Assert.Empty(ProcessDefinitionValidator.Validate(definition));
    }

    // All at once, in document order.
    [Fact]
    public void A_definition_with_many_errors_reports_all_of_them_in_document_order()
    {
        var definition = Process(
            new HumanTaskStep("a", "A") { Flows = [To("ghost")] },
            new DecisionStep("d", "D") { Flows = [To("end") with { When = "amount >" }, To("end") with { When = "nope(1)" }] },
            Auto("x", "x"),
            End()) with { Id = "9bad", Version = 0, Targets = new ProcessTargets { CostPerInstance = -1 } };

        var problems = ProcessDefinitionValidator.Validate(definition);

        string[] codes =
        [
            DefinitionProblemCodes.InvalidId, DefinitionProblemCodes.InvalidValue, DefinitionProblemCodes.UnknownStep,
            DefinitionProblemCodes.TaskWithoutRole, DefinitionProblemCodes.DecisionWithoutDefault, DefinitionProblemCodes.ExpressionSyntax,
            DefinitionProblemCodes.UnknownFunction, DefinitionProblemCodes.UnreachableStep, DefinitionProblemCodes.AutomatedLoop,
            DefinitionProblemCodes.InvalidValue, DefinitionProblemCodes.NoPathToEnd,
        ];
        Assert.True(codes.All(c => problems.Any(p => p.Code == c)), string.Join(Environment.NewLine, problems));
        Assert.Equal(
            [
                "/id", "/version", "/steps/0", "/steps/0", "/steps/0/next/0/to", "/steps/1", "/steps/1/next", "/steps/1/next/0/when",
                "/steps/1/next/1/when", "/steps/2", "/steps/2", "/steps/3", "/targets/costPerInstance",
            ],
            problems.Select(static p => p.Path));
        Assert.Contains(problems, static p => p.Severity == ProblemSeverity.Warning);
        Assert.Contains(problems, static p => p.Severity == ProblemSeverity.Error);
    }

    [Fact]
    public void A_problem_prints_its_severity_path_message_and_hint()
    {
        var problem = ProcessDefinitionValidator.Validate(Process(Task("a", "end"), End()) with { Version = 0 }).Single();

        Assert.StartsWith("error: /version: ", problem.ToString(), StringComparison.Ordinal);
        Assert.EndsWith($"({problem.Hint})", problem.ToString(), StringComparison.Ordinal);
    }
}
