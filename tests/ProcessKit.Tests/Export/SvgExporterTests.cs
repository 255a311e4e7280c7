using System.Globalization;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Export;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Export;

public sealed class SvgExporterTests
{
    public static TheoryData<string> Definitions => new() { "cafe.json", "sales-office.json", "scenario:cafe", "scenario:sales-office", "every-kind", "wide-names" };

    private static async Task<ProcessDefinition> LoadAsync(string name) => name switch
    {
        "scenario:cafe" => CafeProcess.Definition,
        "scenario:sales-office" => SalesOfficeProcess.Definition,
        "every-kind" => EveryKind(),
        "wide-names" => WideNames(),
        _ => await ReadSampleAsync(name),
    };

    private static async Task<ProcessDefinition> ReadSampleAsync(string file)
    {
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "definitions", file));
        return await ProcessDefinitionJson.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>Every step kind, a rework loop, a self loop, a long forward flow, a timeout and escalations.</summary>
    private static ProcessDefinition EveryKind() => new("svg.every", "Every kind")
    {
        Roles = [new RoleDefinition("clerk", "Clerk")],
        Steps =
        [
            new HumanTaskStep("enter", "Enter the order")
            {
                Role = "clerk",
                Outcomes = ["ok", "again"],
                Deadline = DueTime.In(TimeSpan.FromMinutes(5)),
                Escalations = [new Escalation(EscalationAction.TakePath) { To = "cancelled", Interrupting = true }],
                Flows =
                [
                    new FlowDefinition("check") { Outcome = "ok" },
                    new FlowDefinition("enter") { Outcome = "again", Path = PathKind.Rework },
                ],
            },
            new DecisionStep("check", "Amount over the limit of the branch office?")
            {
                Flows =
                [
                    new FlowDefinition("split") { When = "amount > 10000 and customer.segment == 'retail'" },
                    new FlowDefinition("done") { IsDefault = true },
                ],
            },
            new ParallelSplitStep("split", "Both") { Flows = [new FlowDefinition("book"), new FlowDefinition("tell")] },
            new AutomatedStep("book", "Book it", "ledger.book") { Flows = [new FlowDefinition("join")] },
            new NotificationStep("tell", "Tell the manager") { Flows = [new FlowDefinition("join")] },
            new ParallelJoinStep("join", "Both done", "split") { Flows = [new FlowDefinition("wait")] },
            new WaitMessageStep("wait", "Wait for the signature", "signed")
            {
                Timeout = new MessageTimeout(DueTime.In(TimeSpan.FromDays(2)), "enter") { Path = PathKind.Rework },
                Flows = [new FlowDefinition("pause")],
            },
            new TimerStep("pause", "Cool-off", DueTime.In(TimeSpan.FromHours(1))) { Flows = [new FlowDefinition("choice")] },
            new EventChoiceStep("choice", "First of") { Flows = [new FlowDefinition("extras")] },
            new InclusiveSplitStep("extras", "Extras")
            {
                Flows =
                [
                    new FlowDefinition("sub") { When = "wantsGift", Path = PathKind.Alternate },
                    new FlowDefinition("merge") { IsDefault = true, Label = "nothing more" },
                ],
            },
            new SubProcessStep("sub", "Wrap the gift", "gift.wrap") { Flows = [new FlowDefinition("merge")] },
            new InclusiveMergeStep("merge", "Merge", "extras") { Flows = [new FlowDefinition("done")] },
            new EndStep("done", "Done"),
            new EndStep("cancelled", "Cancelled") { Terminate = true },
        ],
    };

    /// <summary>Names and labels of wide characters (capitals, <c>W</c>, <c>M</c>, CJK, emoji), long words and combining marks, in boxes and below shapes.</summary>
    private static ProcessDefinition WideNames() => new("svg.wide", "Wide names")
    {
        Steps =
        [
            new HumanTaskStep("a", "WWWWWWW MMMMMMMM WWWWWWWWW MMMMMMMMMMMMMMM WWWWW") { Flows = [new FlowDefinition("b") { Label = "MMMMMMMMMMMMMMMMMMMMMMMMMM" }] },
            new AutomatedStep("b", "\u8acb\u6c42\u66f8\u3092\u78ba\u8a8d\u3057\u3066\u627f\u8a8d\u3057\u3001\u7d4c\u7406\u90e8\u306b\u9001\u4ed8\u3059\u308b\u3053\u3068\uff08\u91cd\u8981\uff09", "h")
            {
                Flows = [new FlowDefinition("c") { Label = "\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec\ud83d\udcec" }],
            },
            new DecisionStep("c", "PRÜFUNG DER GESAMTSUMME ÜBER DEM GRENZWERT DER FILIALE?")
            {
                Flows =
                [
                    new FlowDefinition("d") { When = "amount > 10000 and customer.segment == 'WHOLESALE'" },
                    new FlowDefinition("e") { IsDefault = true },
                ],
            },
            new NotificationStep("d", "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenauszahlungsbestätigung") { Flows = [new FlowDefinition("e")] },
            new WaitMessageStep("e", "\u00c9\u0301\u0301 Wait for the MANAGEMENT BOARD'S WRITTEN SIGNATURE", "signed") { Flows = [new FlowDefinition("f")] },
            new EndStep("f", "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW"),
        ],
    };

    [Theory]
    [MemberData(nameof(Definitions))]
    public async Task Every_step_is_drawn_once_every_flow_is_drawn_and_no_two_nodes_overlap(string name)
    {
        var definition = await LoadAsync(name);

        var svg = SvgExporter.Export(definition);

        SvgDiagram.AssertInvariants(definition, svg);
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public async Task Highlighted_steps_carry_the_current_class_and_visited_ones_the_visited_class(string name)
    {
        var definition = await LoadAsync(name);
        var current = definition.Steps[^1].Id;
        var visited = definition.Steps.Take(2).Select(static s => s.Id).ToArray();

        var root = SvgDiagram.Parse(SvgExporter.Export(definition, new SvgOptions
        {
            HighlightSteps = [current, "no-such-step"],
            VisitedSteps = [.. visited, current],
        }));

        foreach (var node in SvgDiagram.Nodes(root))
        {
            var id = (string)node.Attribute("data-step")!;
            Assert.Equal(id == current, SvgDiagram.HasClass(node, "pk-current"));
            Assert.Equal(id != current && visited.Contains(id), SvgDiagram.HasClass(node, "pk-visited"));
            Assert.Equal(id == current ? "step" : null, (string?)node.Attribute("aria-current"));
        }
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public async Task The_same_definition_gives_the_same_bytes(string name)
    {
        var definition = await LoadAsync(name);
        var options = new SvgOptions { HighlightSteps = [definition.Steps[0].Id] };

        var first = SvgExporter.Export(definition, options);
        var copy = SvgExporter.Export(definition with { Steps = [.. definition.Steps] }, options with { });
        var previous = CultureInfo.CurrentCulture;
        string inGerman;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            inGerman = SvgExporter.Export(definition, options);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(first, copy);
        Assert.Equal(first, inGerman);
        Assert.DoesNotContain('\r', first);
        Assert.EndsWith("</svg>\n", first, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_is_an_accessible_image_sized_to_its_content()
    {
        var definition = EveryKind();
        var root = SvgDiagram.Parse(SvgExporter.Export(definition, new SvgOptions { HighlightSteps = ["book"] }));

        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.True(SvgDiagram.HasClass(root, "pk-diagram"));
        Assert.Equal("Every kind (version 1)", root.Element(SvgDiagram.Svg + "title")?.Value);
        Assert.Equal("Process svg.every, 14 steps. Current: Book it.", root.Element(SvgDiagram.Svg + "desc")?.Value);
        var viewBox = ((string)root.Attribute("viewBox")!).Split(' ').Select(static v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([0, 0], viewBox[..2]);
        Assert.Equal(viewBox[2], double.Parse((string)root.Attribute("width")!, CultureInfo.InvariantCulture));
        Assert.Equal(viewBox[3], double.Parse((string)root.Attribute("height")!, CultureInfo.InvariantCulture));
        var layout = SvgLayout.Create(definition);
        Assert.Equal(layout.Nodes.Max(static n => n.X + n.Width) + SvgLayout.Margin, viewBox[2], 0.5);
    }

    [Fact]
    public void A_custom_title_replaces_the_name()
    {
        var root = SvgDiagram.Parse(SvgExporter.Export(EveryKind(), new SvgOptions { Title = "Order 42" }));

        Assert.Equal("Order 42", root.Element(SvgDiagram.Svg + "title")?.Value);
    }

    [Fact]
    public void Rework_loops_return_left_clear_of_the_nodes_they_span_and_forward_flows_go_right()
    {
        var definition = EveryKind();
        var layout = SvgLayout.Create(definition);
        var root = SvgDiagram.Parse(SvgExporter.Export(definition));

        var back = SvgDiagram.Edges(root).Where(static e => SvgDiagram.HasClass(e, "pk-back")).Select(static e => ((string?)e.Attribute("data-from"), (string?)e.Attribute("data-to"))).Order().ToList();
        Assert.Equal([("enter", "enter"), ("wait", "enter")], back);
        foreach (var edge in layout.Edges)
        {
            var from = layout.Nodes[edge.From];
            var to = layout.Nodes[edge.To];
            if (edge.IsBack)
            {
                Assert.True(to.Layer <= from.Layer);
                var spanned = layout.Nodes.Where(n => !n.IsDummy && n.Layer >= to.Layer && n.Layer <= from.Layer).ToList();
                Assert.True(edge.Above ? edge.Low < spanned.Min(static n => n.Y) : edge.Low > spanned.Max(static n => n.Y + n.Height));
            }
            else
            {
                Assert.True(to.Layer > from.Layer);
                Assert.True(to.X > from.X + from.Width);
            }
        }
    }

    [Fact]
    public void A_loop_leaves_on_the_side_of_its_column_where_no_node_is_in_the_way()
    {
        var definition = new ProcessDefinition("p", "P")
        {
            Steps =
            [
                new HumanTaskStep("a", "A") { Flows = [new FlowDefinition("d")] },
                new DecisionStep("d", "D?")
                {
                    Flows = [new FlowDefinition("b") { When = "x", Path = PathKind.Alternate }, new FlowDefinition("c") { IsDefault = true }],
                },
                new HumanTaskStep("b", "Redo") { Flows = [new FlowDefinition("a") { Path = PathKind.Rework }] },
                new HumanTaskStep("c", "C") { Flows = [new FlowDefinition("e")] },
                new EndStep("e", "E"),
            ],
        };

        var layout = SvgLayout.Create(definition);

        var loop = Assert.Single(layout.Edges, static e => e.IsBack);
        var from = layout.Nodes[loop.From];
        var other = layout.Nodes.Single(static n => n.Step?.Id == "c");
        Assert.Equal(from.Layer, other.Layer);
        Assert.Equal(other.Anchor > from.Anchor, loop.Above);
        SvgDiagram.AssertInvariants(definition, SvgExporter.Export(definition));
    }

    [Fact]
    public void A_long_flow_runs_through_the_layers_between_without_crossing_a_node()
    {
        // check -> done skips the whole parallel block: it needs dummy nodes in the columns between.
        var layout = SvgLayout.Create(EveryKind());
        var check = layout.Nodes.Single(static n => n.Step?.Id == "check");
        var done = layout.Nodes.Single(static n => n.Step?.Id == "done");
        var edge = layout.Edges.Single(e => e.From == check.Index && e.To == done.Index);

        Assert.Equal(done.Layer - check.Layer + 1, edge.Chain.Count);
        Assert.All(edge.Chain.Skip(1).SkipLast(1), i => Assert.True(layout.Nodes[i].IsDummy));
        foreach (var dummy in edge.Chain.Skip(1).SkipLast(1).Select(i => layout.Nodes[i]))
        {
            Assert.All(
                layout.Nodes.Where(n => !n.IsDummy && n.Layer == dummy.Layer),
                n => Assert.True(dummy.Anchor < n.Y || dummy.Anchor > n.Y + n.Height));
        }
    }

    [Fact]
    public void Text_is_escaped_and_survives_the_round_trip()
    {
        const string name = "Check <&\"> 'now'";
        const string id = "a<&\"'>b";
        var definition = new ProcessDefinition("p&<", "Title <&\">")
        {
            Steps =
            [
                new HumanTaskStep(id, name) { Flows = [new FlowDefinition("end") { Label = "if <x> & \"y\"" }] },
                new EndStep("end", "End"),
            ],
        };

        var svg = SvgExporter.Export(definition, new SvgOptions { HighlightSteps = [id] });

        Assert.DoesNotContain("<&", svg, StringComparison.Ordinal);
        var root = SvgDiagram.AssertInvariants(definition, svg);
        Assert.Equal("Title <&\"> (version 1)", root.Element(SvgDiagram.Svg + "title")?.Value);
        var node = SvgDiagram.Nodes(root).Single(n => (string?)n.Attribute("data-step") == id);
        Assert.True(SvgDiagram.HasClass(node, "pk-current"));
        Assert.Equal(name, string.Concat(node.Descendants(SvgDiagram.Svg + "tspan").Select(static t => t.Value + " ")).Trim());
        var edge = SvgDiagram.Edges(root).Single(e => (string?)e.Attribute("data-from") == id);
        Assert.Equal("if <x> & \"y\"", edge.Element(SvgDiagram.Svg + "title")?.Value);
    }

    [Fact]
    public void Characters_XML_forbids_are_replaced_and_long_names_are_wrapped_and_cut()
    {
        var longName = string.Join(' ', Enumerable.Repeat("Supercalifragilistic", 8));
        var definition = new ProcessDefinition("p", "P")
        {
            Steps =
            [
                new HumanTaskStep("a", "bell\u0007 and\u0000 nul \ud800 lone\uFFFF") { Flows = [new FlowDefinition("b")] },
                new HumanTaskStep("b", longName) { Flows = [new FlowDefinition("c") { Label = new string('x', 100) }] },
                new EndStep("c", string.Empty),
            ],
        };

        var svg = SvgExporter.Export(definition);

        var root = SvgDiagram.AssertInvariants(definition, svg);
        var b = SvgDiagram.Nodes(root).Single(static n => (string?)n.Attribute("data-step") == "b");
        var lines = b.Descendants(SvgDiagram.Svg + "tspan").Select(static t => t.Value).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, static l => Assert.True(SvgText.Width(l) <= SvgNode.BoxTextWidth));
        Assert.EndsWith("\u2026", lines[^1], StringComparison.Ordinal);
        Assert.Equal(longName + " (b)", b.Element(SvgDiagram.Svg + "title")?.Value);
        var label = root.Descendants(SvgDiagram.Svg + "text").Single(static t => SvgDiagram.HasClass(t, "pk-label")).Value;
        Assert.Equal(new string('x', 19) + "\u2026", label);
        var c = SvgDiagram.Nodes(root).Single(static n => (string?)n.Attribute("data-step") == "c");
        Assert.Equal("c", c.Descendants(SvgDiagram.Svg + "tspan").Single().Value);
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public async Task No_line_of_a_name_is_wider_than_its_node_and_the_full_name_is_in_the_nodes_title(string name)
    {
        var definition = await LoadAsync(name);

        var root = SvgDiagram.Parse(SvgExporter.Export(definition));

        SvgDiagram.AssertTextFits(root, SvgLayout.Create(definition));
        foreach (var step in definition.Steps)
        {
            var node = SvgDiagram.Nodes(root).Single(n => (string?)n.Attribute("data-step") == step.Id);
            Assert.Contains(SvgText.Clean(string.IsNullOrWhiteSpace(step.Name) ? step.Id : step.Name), node.Element(SvgDiagram.Svg + "title")!.Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Wide_characters_wrap_into_more_lines_than_narrow_ones_of_the_same_count()
    {
        var definition = new ProcessDefinition("p", "P")
        {
            Steps =
            [
                new HumanTaskStep("narrow", string.Join(' ', Enumerable.Repeat("illicit", 6))) { Flows = [new FlowDefinition("wide")] },
                new HumanTaskStep("wide", string.Join(' ', Enumerable.Repeat("MWMWMWM", 6))),
            ],
        };

        var root = SvgDiagram.Parse(SvgExporter.Export(definition));

        int Lines(string id) => SvgDiagram.Nodes(root).Single(n => (string?)n.Attribute("data-step") == id).Descendants(SvgDiagram.Svg + "tspan").Count();
        Assert.Equal(2, Lines("narrow"));
        Assert.Equal(3, Lines("wide"));
        SvgDiagram.AssertTextFits(root, SvgLayout.Create(definition));
    }

    [Fact]
    public void A_flow_to_an_unknown_step_is_drawn_to_a_dashed_box_naming_it()
    {
        var definition = new ProcessDefinition("p", "P") { Steps = [new HumanTaskStep("a", "A") { Flows = [new FlowDefinition("ghost")] }] };

        var root = SvgDiagram.Parse(SvgExporter.Export(definition));

        var missing = root.Descendants(SvgDiagram.Svg + "g").Single(static g => SvgDiagram.HasClass(g, "pk-missing"));
        Assert.Equal("ghost", (string?)missing.Attribute("data-missing"));
        Assert.Contains(SvgDiagram.Edges(root), static e => (string?)e.Attribute("data-to") == "ghost");
    }

    [Fact]
    public void An_empty_definition_gives_an_empty_but_valid_image()
    {
        var root = SvgDiagram.Parse(SvgExporter.Export(new ProcessDefinition("p", "P")));

        Assert.Empty(SvgDiagram.Nodes(root));
        Assert.Empty(SvgDiagram.Edges(root));
    }

    [Fact]
    public void Null_definition_is_refused() =>
        Assert.Throws<ArgumentNullException>(() => SvgExporter.Export(null!));
}
