using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Export;

namespace ProcessKit.Tests.Export;

public sealed partial class MermaidPropertyTests
{
    [Property]
    public void Label_NeverContainsMermaidSyntaxCharacters(string? text)
    {
        var label = MermaidSyntax.Label(text ?? string.Empty).Replace("<br/>", string.Empty, StringComparison.Ordinal);

        Assert.DoesNotMatch(ForbiddenInLabel(), label);
        Assert.All(
            HashPattern().Matches(label),
            static m => Assert.Matches(EntityPattern(), m.Value));
    }

    [Property]
    public void NodeId_IsSafeAndInjective(NonNull<string> first, NonNull<string> second)
    {
        var a = MermaidSyntax.NodeId("s_", first.Get);
        var b = MermaidSyntax.NodeId("s_", second.Get);

        Assert.Matches(SafeIdPattern(), a);
        Assert.Equal(string.Equals(first.Get, second.Get, StringComparison.Ordinal), string.Equals(a, b, StringComparison.Ordinal));
    }

    [Property]
    public Property Export_IsDeterministic_AndEveryLineIsSafe()
    {
        var names = ArbMap.Default.GeneratorFor<NonNull<string>>().Select(static s => s.Get);
        var kinds = Gen.Elements(Enum.GetValues<StepKind>());
        var paths = Gen.Elements(Enum.GetValues<PathKind>());
        var step =
            from id in names
            from name in names
            from kind in kinds
            select (Id: id, Name: name, Kind: kind);
        var definitions =
            from roles in Gen.ListOf(Gen.Zip(names, names))
            from steps in Gen.NonEmptyListOf(step)
            from flowPaths in Gen.ListOf(paths)
            select Build(roles, steps, flowPaths);

        return Prop.ForAll(definitions.ToArbitrary(), definition =>
        {
            var first = MermaidExporter.Export(definition);
            var again = MermaidExporter.Export(definition with { Steps = [.. definition.Steps] });

            Assert.Equal(first, again);
            Assert.EndsWith("\n", first, StringComparison.Ordinal);
            Assert.DoesNotContain('\r', first);
            var lines = first.Split('\n');
            Assert.Equal("flowchart LR", lines[1]);
            Assert.All(lines.Skip(2).Where(static l => l.Length > 0), static line => Assert.Matches(LinePattern(), line));
        });
    }

    private static ProcessDefinition Build(
        IReadOnlyList<(string Id, string Name)> roles,
        IReadOnlyList<(string Id, string Name, StepKind Kind)> steps,
        IReadOnlyList<PathKind> flowPaths)
    {
        var ids = steps.Select(static s => s.Id).ToArray();
        var built = new List<StepDefinition>();
        for (var i = 0; i < steps.Count; i++)
        {
            var (id, name, kind) = steps[i];
            StepDefinition definition = kind switch
            {
                StepKind.HumanTask => new HumanTaskStep(id, name),
                StepKind.Automated => new AutomatedStep(id, name, "handler"),
                StepKind.Decision => new DecisionStep(id, name),
                StepKind.ParallelSplit => new ParallelSplitStep(id, name),
                StepKind.ParallelJoin => new ParallelJoinStep(id, name, id),
                StepKind.InclusiveSplit => new InclusiveSplitStep(id, name),
                StepKind.InclusiveMerge => new InclusiveMergeStep(id, name, id),
                StepKind.EventChoice => new EventChoiceStep(id, name),
                StepKind.WaitMessage => new WaitMessageStep(id, name, "m") { Timeout = new MessageTimeout(DueTime.In(TimeSpan.FromMinutes(1)), ids[0]) },
                StepKind.Timer => new TimerStep(id, name, DueTime.AtExpression(ProcessExpression.FromText(string.IsNullOrWhiteSpace(name) ? "x" : name))),
                StepKind.Notification => new NotificationStep(id, name),
                StepKind.SubProcess => new SubProcessStep(id, name, "other"),
                _ => new EndStep(id, name) { Terminate = i % 2 == 0 },
            };
            var path = flowPaths.Count == 0 ? PathKind.Happy : flowPaths[i % flowPaths.Count];
            var role = roles.Count == 0 ? null : roles[i % roles.Count].Id;
            built.Add(definition with
            {
                Role = role,
                Flows = [new FlowDefinition(ids[(i + 1) % ids.Length]) { Path = path, Label = name, IsDefault = i % 3 == 0 }],
            });
        }

        return new ProcessDefinition("p", "P")
        {
            Roles = [.. roles.Select(static r => new RoleDefinition(r.Id, r.Name))],
            Steps = [.. built],
        };
    }

    [GeneratedRegex("[\"\\[\\](){}<>|`\\r\\n]")]
    private static partial Regex ForbiddenInLabel();

    [GeneratedRegex("#[^;]*;?")]
    private static partial Regex HashPattern();

    [GeneratedRegex("^#([0-9]+|quot|amp|lt|gt);$")]
    private static partial Regex EntityPattern();

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex SafeIdPattern();

    // Every line is a comment, a classDef, a node (possibly in a lane), a lane, an edge, a
    // linkStyle or a class line; labels are quoted and hold no quote, bracket or pipe.
    [GeneratedRegex(
        "^( {4}| {8})(" +
        "%% [^\\r\\n]*" +
        "|classDef [A-Za-z]+ [^\\s]+" +
        "|subgraph lane_[A-Za-z0-9_]*\\[\"[^\"\\[\\]|]*\"\\]" +
        "|end" +
        "|[A-Za-z0-9_]+(\\[\"|\\[\\[\"|\\{\"|\\{\\{\"|>\"|\\(\\(\"|\\[/\"|\\(\"|\\(\\[\"|\\(\\(\\(\")[^\"\\[\\]|]*(\"\\]|\"\\]\\]|\"\\}|\"\\}\\}|\"\\)\\)|\"/\\]|\"\\)|\"\\]\\)|\"\\)\\)\\)):::[A-Za-z]+" +
        "|[A-Za-z0-9_]+ (-->|-\\.->|==>)(\\|\"[^\"\\[\\]|]*\"\\|)? [A-Za-z0-9_]+" +
        "|linkStyle [0-9,]+ [^\\s]+" +
        "|class [A-Za-z0-9_,]+ current" +
        ")$")]
    private static partial Regex LinePattern();
}
