using System.Text.RegularExpressions;
using ProcessKit.Definitions;
using ProcessKit.Export;

namespace ProcessKit.Tests.Export;

public sealed partial class MermaidExporterTests
{
    private static ProcessDefinition Sample() => new("cafe.serve", "Serve a guest")
    {
        Roles =
        [
            new RoleDefinition("waiter", "Waiter"),
            new RoleDefinition("cook", "Cook"),
            new RoleDefinition("manager", "Manager"),
            new RoleDefinition("idle", "Nobody works here"),
        ],
        Steps =
        [
            new HumanTaskStep("take-order", "Take the order")
            {
                Role = "waiter",
                Outcomes = ["ok", "unavailable"],
                Deadline = DueTime.In(TimeSpan.FromMinutes(5)),
                Escalations = [new Escalation(EscalationAction.TakePath) { To = "apologise", Interrupting = true }],
                Flows =
                [
                    new FlowDefinition("split") { Outcome = "ok" },
                    new FlowDefinition("take-order") { Outcome = "unavailable", Path = PathKind.Rework },
                ],
            },
            new ParallelSplitStep("split", "Prepare") { Flows = [new FlowDefinition("cook"), new FlowDefinition("drinks")] },
            new AutomatedStep("cook", "Cook the dishes", "kitchen.cook") { Role = "cook", Flows = [new FlowDefinition("join")] },
            new HumanTaskStep("drinks", "Pour the drinks") { Role = "waiter", Flows = [new FlowDefinition("join")] },
            new ParallelJoinStep("join", "Ready", "split") { Flows = [new FlowDefinition("check")] },
            new DecisionStep("check", "Big bill?")
            {
                Flows =
                [
                    new FlowDefinition("notify") { When = "total > 100" },
                    new FlowDefinition("wait-pay") { IsDefault = true },
                ],
            },
            new NotificationStep("notify", "Tell the manager") { Role = "manager", Flows = [new FlowDefinition("wait-pay")] },
            new WaitMessageStep("wait-pay", "Wait for payment", "payment.received")
            {
                Timeout = new MessageTimeout(DueTime.In(TimeSpan.FromMinutes(30)), "apologise"),
                Flows = [new FlowDefinition("eat")],
            },
            new TimerStep("eat", "Guest eats", DueTime.In(TimeSpan.FromMinutes(20))) { Flows = [new FlowDefinition("choice")] },
            new EventChoiceStep("choice", "First of") { Flows = [new FlowDefinition("inc")] },
            new InclusiveSplitStep("inc", "Extras")
            {
                Flows =
                [
                    new FlowDefinition("sub") { When = "wantsDessert", Path = PathKind.Alternate },
                    new FlowDefinition("merge") { IsDefault = true, Label = "nothing more" },
                ],
            },
            new SubProcessStep("sub", "Serve dessert", "cafe.dessert") { Flows = [new FlowDefinition("merge")] },
            new InclusiveMergeStep("merge", "Done", "inc") { Flows = [new FlowDefinition("served")] },
            new EndStep("served", "Guest served"),
            new EndStep("apologise", "Apologise") { Terminate = true },
        ],
    };

    private static string[] Lines(string text) => text.Split('\n');

    [Theory]
    [InlineData("s_take_horder[\"Take the order\"]:::pkHumanTask")]
    [InlineData("s_cook[[\"Cook the dishes\"]]:::pkAutomated")]
    [InlineData("s_check{\"Big bill?\"}:::pkDecision")]
    [InlineData("s_split{{\"+ Prepare\"}}:::pkParallelSplit")]
    [InlineData("s_join{{\"+ Ready\"}}:::pkParallelJoin")]
    [InlineData("s_inc{{\"o Extras\"}}:::pkInclusiveSplit")]
    [InlineData("s_merge{{\"o Done\"}}:::pkInclusiveMerge")]
    [InlineData("s_choice{{\"First of\"}}:::pkEventChoice")]
    [InlineData("s_wait_hpay>\"Wait for payment\"]:::pkWaitMessage")]
    [InlineData("s_eat((\"Guest eats\")):::pkTimer")]
    [InlineData("s_notify[/\"Tell the manager\"/]:::pkNotification")]
    [InlineData("s_sub(\"Serve dessert\"):::pkSubProcess")]
    [InlineData("s_served([\"Guest served\"]):::pkEnd")]
    [InlineData("s_apologise(((\"Apologise\"))):::pkEnd")]
    public void Export_EachStepKind_HasItsShape(string expectedNode)
    {
        var lines = Lines(MermaidExporter.Export(Sample())).Select(static l => l.Trim());

        Assert.Contains(expectedNode, lines);
    }

    [Fact]
    public void Export_EveryStepKind_IsCoveredBySample()
    {
        var kinds = Sample().Steps.Select(static s => s.Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<StepKind>().ToHashSet(), kinds);
    }

    [Fact]
    public void Export_StartsWithHeaderAndDirection()
    {
        var lines = Lines(MermaidExporter.Export(Sample()));

        Assert.Equal("%% ProcessKit process cafe.serve v1: Serve a guest", lines[0]);
        Assert.Equal("flowchart LR", lines[1]);
        Assert.Equal("flowchart TD", Lines(MermaidExporter.Export(Sample(), new MermaidOptions { Direction = MermaidDirection.TopDown }))[1]);
    }

    [Fact]
    public void Export_StartMarker_PointsAtStartStep()
    {
        var text = MermaidExporter.Export(Sample() with { StartStep = "check" });

        Assert.Contains("    start((\" \")):::pkStart\n", text, StringComparison.Ordinal);
        Assert.Contains("    start --> s_check\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_OneLanePerRoleWithSteps_InRoleOrder()
    {
        var lines = Lines(MermaidExporter.Export(Sample()));
        var lanes = lines.Where(static l => l.TrimStart().StartsWith("subgraph ", StringComparison.Ordinal)).Select(static l => l.Trim()).ToList();

        Assert.Equal(
            ["subgraph lane_waiter[\"Waiter\"]", "subgraph lane_cook[\"Cook\"]", "subgraph lane_manager[\"Manager\"]"],
            lanes);
        var waiter = Array.FindIndex(lines, static l => l.Contains("lane_waiter", StringComparison.Ordinal));
        Assert.Equal("        s_take_horder[\"Take the order\"]:::pkHumanTask", lines[waiter + 1]);
        Assert.Equal("        s_drinks[\"Pour the drinks\"]:::pkHumanTask", lines[waiter + 2]);
        Assert.Equal("    end", lines[waiter + 3]);
    }

    [Fact]
    public void Export_StepsWithoutDeclaredRole_AreOutsideLanes()
    {
        var definition = new ProcessDefinition("p", "P")
        {
            Roles = [new RoleDefinition("r", "R")],
            Steps = [new HumanTaskStep("a", "A") { Role = "ghost", Flows = [new FlowDefinition("b")] }, new EndStep("b", "B")],
        };

        var text = MermaidExporter.Export(definition);

        Assert.DoesNotContain("subgraph", text, StringComparison.Ordinal);
        Assert.Contains("\n    s_a[\"A\"]:::pkHumanTask\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_FlowLabels_ShowConditionOutcomeLabelAndDefault()
    {
        var text = MermaidExporter.Export(Sample());

        Assert.Contains("    s_check -->|\"total #gt; 100\"| s_notify\n", text, StringComparison.Ordinal);
        Assert.Contains("    s_check -->|\"default\"| s_wait_hpay\n", text, StringComparison.Ordinal);
        Assert.Contains("    s_take_horder -->|\"ok\"| s_split\n", text, StringComparison.Ordinal);
        Assert.Contains("    s_inc -->|\"nothing more (default)\"| s_merge\n".Replace("(default)", "#40;default#41;", StringComparison.Ordinal), text, StringComparison.Ordinal);
        Assert.Contains("    s_split --> s_cook\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_LambdaCondition_ShowsItsSourceText()
    {
        var definition = new ProcessDefinition("p", "P")
        {
            Steps =
            [
                new DecisionStep("d", "D")
                {
                    Flows =
                    [
                        new FlowDefinition("e") { When = ProcessExpression.FromLambda(data => data.Count > 2) },
                        new FlowDefinition("e") { IsDefault = true },
                    ],
                },
                new EndStep("e", "E"),
            ],
        };

        var text = MermaidExporter.Export(definition);

        Assert.Contains("s_d -->|\"data =#gt; data.Count #gt; 2\"| s_e", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_PathKinds_AreStyledApart()
    {
        var text = MermaidExporter.Export(Sample());
        var edges = Lines(text).Select(static l => l.Trim()).Where(static l => EdgePattern().IsMatch(l)).ToList();

        var rework = edges.FindIndex(static e => e == "s_take_horder -.->|\"unavailable\"| s_take_horder");
        var alternate = edges.FindIndex(static e => e == "s_inc -.->|\"wantsDessert\"| s_sub");
        var timeout = edges.FindIndex(static e => e == "s_wait_hpay ==>|\"timeout after 30 min\"| s_apologise");
        var escalation = edges.FindIndex(static e => e == "s_take_horder ==>|\"deadline after 5 min, interrupting\"| s_apologise");
        Assert.True(rework >= 0 && alternate >= 0 && timeout >= 0 && escalation >= 0, text);
        Assert.Contains($"    linkStyle {alternate} stroke:#e8590c,stroke-width:2px,color:#e8590c\n", text, StringComparison.Ordinal);
        Assert.Contains($"    linkStyle {Math.Min(timeout, escalation)},{Math.Max(timeout, escalation)} stroke:#e03131,stroke-width:3px,color:#e03131\n", text, StringComparison.Ordinal);
        Assert.Contains($"    linkStyle {rework} stroke:#7048e8,stroke-width:2px,color:#7048e8\n", text, StringComparison.Ordinal);
        Assert.Equal(3, Lines(text).Count(static l => l.TrimStart().StartsWith("linkStyle ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Export_LinkStyleIndexes_CountEveryEdgeInOrder()
    {
        var definition = new ProcessDefinition("p", "P")
        {
            Steps =
            [
                new DecisionStep("d", "D")
                {
                    Flows =
                    [
                        new FlowDefinition("a") { When = "x", Path = PathKind.Exception },
                        new FlowDefinition("b") { IsDefault = true },
                    ],
                },
                new EndStep("a", "A"),
                new EndStep("b", "B"),
            ],
        };

        var text = MermaidExporter.Export(definition);

        // Edge 0 is the start marker's, edge 1 the exception flow.
        Assert.Contains("    linkStyle 1 stroke:#e03131", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_SpanDeadlines_AreCommentsAndTheirPathsEdges()
    {
        var definition = Sample() with
        {
            Deadlines =
            [
                new DeadlineDefinition("order-to-serve", "take-order", DueTime.In(TimeSpan.FromMinutes(25)))
                {
                    Until = "served",
                    Escalations =
                    [
                        new Escalation(EscalationAction.NotifyRole) { Role = "manager" },
                        new Escalation(EscalationAction.TakePath) { To = "notify", Path = PathKind.Alternate },
                    ],
                },
            ],
        };

        var text = MermaidExporter.Export(definition);

        Assert.Contains("    %% deadline order-to-serve: from take-order until served within 25 min\n", text, StringComparison.Ordinal);
        Assert.Contains("    s_take_horder -.->|\"deadline order-to-serve within 25 min\"| s_notify\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_Labels_AreEscaped()
    {
        var definition = new ProcessDefinition("p", "P")
        {
            Roles = [new RoleDefinition("r", "Ops \"A\" [x]")],
            Steps =
            [
                new HumanTaskStep("a", "Say \"hi\" #1 <b> | [x] {y} (z) & `q`\r\nnext") { Role = "r", Flows = [new FlowDefinition("b") { Label = "a|b\nc" }] },
                new EndStep("b", "B"),
            ],
        };

        var text = MermaidExporter.Export(definition);

        Assert.Contains(
            "s_a[\"Say #quot;hi#quot; #35;1 #lt;b#gt; #124; #91;x#93; #123;y#125; #40;z#41; #amp; #96;q#96;<br/>next\"]:::pkHumanTask",
            text,
            StringComparison.Ordinal);
        Assert.Contains("subgraph lane_r[\"Ops #quot;A#quot; #91;x#93;\"]", text, StringComparison.Ordinal);
        Assert.Contains("s_a -->|\"a#124;b<br/>c\"| s_b", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("end", "s_end")]
    [InlineData("a_b", "s_a__b")]
    [InlineData("a-b", "s_a_hb")]
    [InlineData("a b", "s_a_u20_b")]
    [InlineData("é", "s__uE9_")]
    [InlineData("x\"]--> y", "s_x_u22__u5D__h_h_u3E__u20_y")]
    public void NodeId_EscapesAnythingButLettersAndDigits(string id, string expected)
    {
        Assert.Equal(expected, MermaidSyntax.NodeId("s_", id));
    }

    [Theory]
    [InlineData("PT30M", "30 min")]
    [InlineData("P2D", "2 d")]
    [InlineData("PT1H30M", "1 h 30 min")]
    [InlineData("P1DT12H", "1 d 12 h")]
    [InlineData("P40D", "40 d")]
    [InlineData("PT45S", "45 s")]
    [InlineData("PT1M0.25S", "1 min 250 ms")]
    [InlineData("PT0S", "0 s")]
    public void Duration_IsWrittenForPeopleNotInIso8601(string iso, string expected)
    {
        Assert.Equal(expected, MermaidSyntax.Duration(System.Xml.XmlConvert.ToTimeSpan(iso)));
    }

    [Fact]
    public void Export_HostileStepId_StaysOnOneNodeLine()
    {
        var definition = new ProcessDefinition("p\nq", "P")
        {
            Steps = [new EndStep("x\"]\nend\n%%{init}", "X")],
        };

        var lines = Lines(MermaidExporter.Export(definition));

        Assert.Equal("%% ProcessKit process p q v1: P", lines[0]);
        Assert.DoesNotContain(lines, static l => l.Trim() == "end");
        Assert.All(lines.Skip(1), static l => Assert.False(l.StartsWith("%%{", StringComparison.Ordinal), l));
    }

    [Fact]
    public void Export_HighlightSteps_MarksThemCurrentInStepOrder()
    {
        var options = new MermaidOptions { HighlightSteps = ["served", "nope", "cook", "served"] };

        var text = MermaidExporter.Export(Sample(), options);

        Assert.Contains("    class s_cook,s_served current\n", text, StringComparison.Ordinal);
        Assert.Contains("classDef current ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("current\n", MermaidExporter.Export(Sample()), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_HighlightOfUnknownStepsOnly_WritesNoClassLine()
    {
        var text = MermaidExporter.Export(Sample(), new MermaidOptions { HighlightSteps = ["nope"] });

        Assert.DoesNotContain(" current\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_ClassDefPerStepKind()
    {
        var text = MermaidExporter.Export(Sample());

        foreach (var kind in Enum.GetValues<StepKind>())
        {
            Assert.Contains($"classDef pk{kind} ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Export_EmptyDefinition_HasNoStartMarker()
    {
        var text = MermaidExporter.Export(new ProcessDefinition("p", "P"));

        Assert.DoesNotContain("start", text.Split('\n', 2)[1], StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_SameDefinitionTwice_GivesSameText()
    {
        Assert.Equal(MermaidExporter.Export(Sample()), MermaidExporter.Export(Sample()));
    }

    [Fact]
    public void Export_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => MermaidExporter.Export(null!));
    }

    [GeneratedRegex("^[A-Za-z0-9_]+ (-->|-\\.->|==>)")]
    private static partial Regex EdgePattern();
}
