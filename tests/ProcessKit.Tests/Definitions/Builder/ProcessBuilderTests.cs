using FsCheck.Xunit;
using ProcessKit.Definitions;

namespace ProcessKit.Tests.Definitions.Builder;

public sealed class ProcessBuilderTests
{
    [Fact]
    public void Process_settings_reach_the_definition()
    {
        var p = ProcessBuilder.Create("claims.resolve", "Resolve a claim")
            .Version(4)
            .Kind(ProcessKind.Supporting)
            .Category("Claims")
            .Goal("Claim resolved, negativity removed.")
            .Description("From a claim to its resolution.")
            .TriggeredBy(TriggerDefinition.OnMessage("claim.received"))
            .TriggeredBy(TriggerDefinition.Every(TimeSpan.FromDays(1)))
            .Targets(new ProcessTargets { CycleTime = TimeSpan.FromDays(3), SatisfactionField = "rating" });
        var clerk = p.Role("clerk", "Clerk").Description("Handles claims.").HourlyCost(200m);
        p.Owner(clerk);
        p.Supplier("client", "Client").Description("Files the claim.").Inputs(Field.String("text", required: true));
        p.Client("client", "Client").Description("Gets an answer.").Outputs(Field.Number("rating", minimum: 1, maximum: 5));
        p.End("done", "Done");

        var expected = new ProcessDefinition("claims.resolve", "Resolve a claim")
        {
            Version = 4,
            Kind = ProcessKind.Supporting,
            Category = "Claims",
            Goal = "Claim resolved, negativity removed.",
            Description = "From a claim to its resolution.",
            OwnerRole = "clerk",
            Triggers = [TriggerDefinition.OnMessage("claim.received"), TriggerDefinition.Every(TimeSpan.FromDays(1))],
            Targets = new ProcessTargets { CycleTime = TimeSpan.FromDays(3), SatisfactionField = "rating" },
            Roles = [new RoleDefinition("clerk", "Clerk") { Description = "Handles claims.", HourlyCost = 200m }],
            Suppliers = [new Supplier("client", "Client") { Description = "Files the claim.", Inputs = [new DataField("text", DataType.String) { Required = true }] }],
            Clients = [new Client("client", "Client") { Description = "Gets an answer.", Outputs = [new DataField("rating", DataType.Number) { Minimum = 1, Maximum = 5 }] }],
            Steps = [new EndStep("done", "Done")],
        };
        Assert.Equal(expected, p.BuildUnchecked());
    }

    [Fact]
    public void A_new_builder_has_the_model_defaults()
    {
        var definition = ProcessBuilder.Create("p", "P").BuildUnchecked();

        Assert.Equal(new ProcessDefinition("p", "P"), definition);
        Assert.Equal(1, definition.Version);
        Assert.Equal(ProcessKind.Core, definition.Kind);
    }

    [Fact]
    public void Steps_are_kept_in_declaration_order_and_the_first_is_the_start()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var later = p.HumanTask("later", "Later", clerk);
        var first = p.Automated("first", "First", "h").Then(later);
        later.Then(done);

        var definition = p.BuildUnchecked();

        Assert.Equal(["done", "later", "first"], definition.Steps.Select(s => s.Id));
        Assert.Null(definition.StartStep);
        Assert.Equal("done", definition.GetStartStepId());

        p.StartAt(first);
        Assert.Equal("first", p.BuildUnchecked().StartStep);
    }

    [Fact]
    public void Backward_flows_are_written_like_any_other()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var draft = p.HumanTask("draft", "Draft", clerk).Then(done);
        var review = p.HumanTask("review", "Review", clerk)
            .On("accepted", done)
            .On("changesNeeded", draft, PathKind.Rework);
        draft.Then(review);

        var flows = p.BuildUnchecked().Step<HumanTaskStep>("draft").Flows;

        Assert.Equal(["done", "review"], flows.Select(f => f.To));
        Assert.Equal(PathKind.Rework, p.BuildUnchecked().Step<HumanTaskStep>("review").Flows[1].Path);
    }

    [Fact]
    public void Routing_the_same_outcome_twice_lists_it_once()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var other = p.End("other", "Other");
        p.HumanTask("task", "Task", clerk).On("yes", done).On("no", other).On("yes", other);

        var task = p.BuildUnchecked().Step<HumanTaskStep>("task");

        Assert.Equal(["yes", "no"], task.Outcomes);
        Assert.Equal(3, task.Flows.Count);
    }

    [Fact]
    public void Building_twice_gives_equal_definitions()
    {
        var p = Scenarios.SalesOfficeProcess.Create();

        var first = p.Build();
        var second = p.Build();

        Assert.Equal(first, second);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Changing_the_builder_after_Build_does_not_change_the_definition_built()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var task = p.HumanTask("task", "Task", clerk).Then(done);
        var before = p.BuildUnchecked();
        var copy = before with { };

        task.WorkTime(TimeSpan.FromMinutes(5)).Reads("x");
        p.Category("Changed");
        p.End("another", "Another");

        Assert.Equal(copy, before);
        Assert.NotEqual(before, p.BuildUnchecked());
    }

    [Fact]
    public void Two_builders_share_no_state()
    {
        var (a, clerkA, doneA) = BuilderTestKit.Start("a");
        var (b, _, _) = BuilderTestKit.Start("b");

        a.HumanTask("onlyInA", "Only in A", clerkA).Then(doneA);
        a.Category("A");

        var definitionB = b.BuildUnchecked();
        Assert.Equal(["done"], definitionB.Steps.Select(s => s.Id));
        Assert.Null(definitionB.Category);
        Assert.Equal(2, a.BuildUnchecked().Steps.Count);
    }

    [Fact]
    public void Lambdas_are_accepted_and_the_definition_says_it_holds_them()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var big = p.HumanTask("big", "Big", clerk).AllocateTo(ProcessExpression.FromLambda(d => d["owner"])).Then(done);
        p.Decision("size", "Size?")
            .When(ProcessExpression.FromLambda(d => d["amount"] is decimal amount && amount > 100m), big)
            .Otherwise(done);

        var definition = p.BuildUnchecked();

        Assert.True(definition.ContainsLambdas);
        var condition = definition.Step<DecisionStep>("size").Flows[0].When;
        Assert.NotNull(condition);
        Assert.True(condition.IsLambda);
        Assert.Contains("amount > 100m", condition.Text, StringComparison.Ordinal);
        Assert.Equal(true, condition.Lambda!(new Dictionary<string, object?> { ["amount"] = 150m }));
        Assert.Equal(definition, p.BuildUnchecked());
    }

    [Fact]
    public void A_definition_with_text_expressions_only_holds_no_lambda()
    {
        Assert.False(Scenarios.SalesOfficeProcess.Definition.ContainsLambdas);
    }

    [Fact]
    public void Build_throws_one_exception_listing_every_problem_when_one_is_an_error()
    {
        var (p, _, _) = BuilderTestKit.Start("broken");
        DefinitionProblem[] found =
        [
            new(ProblemSeverity.Error, DefinitionProblemCodes.UnknownStep, "/steps/0/next/0/to", "No step 'x'."),
            new(ProblemSeverity.Warning, DefinitionProblemCodes.AutomatedLoop, "/steps/1", "Loops."),
            new(ProblemSeverity.Error, DefinitionProblemCodes.UnknownRole, "/steps/2/role", "No role 'y'."),
        ];

        var exception = Assert.Throws<DefinitionException>(() => p.BuildWith(_ => [.. found], out _));

        Assert.Equal(found, exception.Problems);
        Assert.Equal("broken", exception.Origin);
        Assert.Contains("/steps/2/role", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_do_not_throw_and_are_returned()
    {
        var (p, _, _) = BuilderTestKit.Start();
        var warning = new DefinitionProblem(ProblemSeverity.Warning, DefinitionProblemCodes.AutomatedLoop, "/steps/0", "Loops.");

        var definition = p.BuildWith(_ => [warning], out var warnings);

        Assert.Equal("test.process", definition.Id);
        Assert.Equal([warning], warnings);
    }

    [Fact]
    public void The_validator_sees_the_definition_that_is_returned()
    {
        var (p, _, _) = BuilderTestKit.Start();
        ProcessDefinition? validated = null;

        var definition = p.BuildWith(d => { validated = d; return []; }, out _);

        Assert.Same(validated, definition);
    }

    [Property]
    public void Any_sequence_of_steps_keeps_its_order_and_builds_equal_twice(byte[] choices)
    {
        var p = ProcessBuilder.Create("generated", "Generated");
        var clerk = p.Role("clerk", "Clerk");
        var expected = new List<(string, StepKind)>();
        StepHandle? previous = null;
        for (var i = 0; i < choices.Length; i++)
        {
            var id = $"s{i}";
            StepHandle step;
            switch (choices[i] % 5)
            {
                case 0:
                    var task = p.HumanTask(id, id, clerk);
                    if (previous is not null)
                    {
                        task.Then(previous, PathKind.Rework);
                    }

                    step = task;
                    expected.Add((id, StepKind.HumanTask));
                    break;
                case 1:
                    step = p.Automated(id, id, "handler");
                    expected.Add((id, StepKind.Automated));
                    break;
                case 2:
                    step = p.Timer(id, id, TimeSpan.FromMinutes(choices[i] + 1));
                    expected.Add((id, StepKind.Timer));
                    break;
                case 3:
                    step = p.WaitMessage(id, id, "message");
                    expected.Add((id, StepKind.WaitMessage));
                    break;
                default:
                    step = p.End(id, id);
                    expected.Add((id, StepKind.End));
                    break;
            }

            previous = step;
        }

        var first = p.BuildUnchecked();

        Assert.Equal(expected, first.Steps.Select(s => (s.Id, s.Kind)));
        Assert.Equal(first, p.BuildUnchecked());
    }
}
