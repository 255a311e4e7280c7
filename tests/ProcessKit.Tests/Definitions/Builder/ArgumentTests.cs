using ProcessKit.Definitions;

namespace ProcessKit.Tests.Definitions.Builder;

public sealed class ArgumentTests
{
    private static readonly Dictionary<string, (string Parameter, Action<Kit> Call)> MissingArguments = new()
    {
        ["Create with a null id"] = ("id", _ => ProcessBuilder.Create(null!, "Name")),
        ["Create with an empty name"] = ("name", _ => ProcessBuilder.Create("id", " ")),
        ["Category empty"] = ("category", k => k.P.Category("")),
        ["Owner null"] = ("role", k => k.P.Owner(null!)),
        ["StartAt null"] = ("step", k => k.P.StartAt(null!)),
        ["TriggeredBy null"] = ("trigger", k => k.P.TriggeredBy(null!)),
        ["Targets null"] = ("targets", k => k.P.Targets(null!)),
        ["Role with an empty id"] = ("id", k => k.P.Role("", "Name")),
        ["Supplier inputs null"] = ("inputs", k => k.P.Supplier("s", "S").Inputs(null!)),
        ["Client outputs holding null"] = ("outputs", k => k.P.Client("c", "C").Outputs(Field.String("a"), null!)),
        ["HumanTask with an empty id"] = ("id", k => k.P.HumanTask(" ", "Name", k.Clerk)),
        ["HumanTask with a null role"] = ("role", k => k.P.HumanTask("t", "T", null!)),
        ["Automated with an empty handler"] = ("handler", k => k.P.Automated("a", "A", "")),
        ["WaitMessage with an empty message"] = ("message", k => k.P.WaitMessage("w", "W", "")),
        ["Timer with a null wait"] = ("wait", k => k.P.Timer("t", "T", null!)),
        ["ParallelJoin with a null split"] = ("split", k => k.P.ParallelJoin("j", "J", null!)),
        ["SubProcess with an empty process id"] = ("processId", k => k.P.SubProcess("s", "S", " ")),
        ["Deadline from null"] = ("from", k => k.P.Deadline("d", null!, TimeSpan.FromMinutes(1))),
        ["Deadline within null"] = ("within", k => k.P.Deadline("d", k.Task, null!)),
        ["Then null"] = ("next", k => k.Task.Then(null!)),
        ["Then with an empty label"] = ("label", k => k.Task.Then(k.Done, label: " ")),
        ["On with an empty outcome"] = ("outcome", k => k.Task.On("", k.Done)),
        ["On to null"] = ("next", k => k.Task.On("ok", null!)),
        ["When with a null condition"] = ("condition", k => k.P.Decision("d", "D").When(null!, k.Done)),
        ["Otherwise null"] = ("next", k => k.P.Decision("d", "D").Otherwise(null!)),
        ["Branch null"] = ("first", k => k.P.ParallelSplit("s", "S").Branch(null!)),
        ["WaitFor a null timer"] = ("timer", k => k.P.EventChoice("c", "C").WaitFor((TimerHandle)null!)),
        ["Reads holding an empty name"] = ("fields", k => k.Task.Reads("a", " ")),
        ["Writes null"] = ("fields", k => k.Task.Writes(null!)),
        ["Deadline of a task null"] = ("due", k => k.Task.Deadline(null!)),
        ["OnLateNotifyRole null"] = ("role", k => k.Task.OnLateNotifyRole(null!)),
        ["OnLateTakePath null"] = ("to", k => k.Task.OnLateTakePath(null!)),
        ["OnLateRemind with an empty message"] = ("message", k => k.Task.OnLateRemind(message: "")),
        ["AllocateTo null"] = ("assignee", k => k.Task.AllocateTo(null!)),
        ["SeparateFrom holding null"] = ("steps", k => k.Task.SeparateFrom(null!)),
        ["RetainFamiliar null"] = ("step", k => k.Task.RetainFamiliar(null!)),
        ["ForEach with an empty item name"] = ("itemName", k => k.Task.ForEach("items", "")),
        ["Retry null"] = ("retry", k => k.P.Automated("a", "A", "h").Retry(null!)),
        ["CorrelatedBy null"] = ("correlation", k => k.P.WaitMessage("w", "W", "m").CorrelatedBy(null!)),
        ["Timeout to null"] = ("next", k => k.P.WaitMessage("w", "W", "m").Timeout(TimeSpan.FromDays(1), null!)),
        ["Message wait reminder at null"] = ("at", k => k.P.WaitMessage("w", "W", "m").OnLateRemind(null!)),
        ["Notification message empty"] = ("message", k => k.P.Notification("n", "N", k.Clerk).Message(" ")),
        ["SubProcess input with an empty target"] = ("target", k => k.P.SubProcess("s", "S", "other").Input("", "x")),
        ["End outcome empty"] = ("outcome", k => k.Done.Outcome("")),
        ["Step lane null"] = ("role", k => k.Done.Role(null!)),
        ["Until null"] = ("step", k => k.P.Deadline("d", k.Task, TimeSpan.FromMinutes(1)).Until(null!)),
        ["Field with an empty name"] = ("name", _ => Field.Number(" ")),
        ["Field with an empty description"] = ("description", _ => Field.String("a", description: "")),
    };

    private static readonly Dictionary<string, Action<Kit, Kit>> ForeignHandles = new()
    {
        ["Owner"] = (k, other) => k.P.Owner(other.Clerk),
        ["StartAt"] = (k, other) => k.P.StartAt(other.Task),
        ["HumanTask role"] = (k, other) => k.P.HumanTask("t2", "T2", other.Clerk),
        ["Notification role"] = (k, other) => k.P.Notification("n", "N", other.Clerk),
        ["ParallelJoin split"] = (k, other) => k.P.ParallelJoin("j", "J", other.P.ParallelSplit("s", "S")),
        ["InclusiveMerge split"] = (k, other) => k.P.InclusiveMerge("m", "M", other.P.InclusiveSplit("s", "S")),
        ["Deadline from"] = (k, other) => k.P.Deadline("d", other.Task, TimeSpan.FromMinutes(1)),
        ["Deadline until"] = (k, other) => k.P.Deadline("d", k.Task, TimeSpan.FromMinutes(1)).Until(other.Done),
        ["Deadline escalation role"] = (k, other) => k.P.Deadline("d", k.Task, TimeSpan.FromMinutes(1)).OnLateNotifyRole(other.Clerk),
        ["Then"] = (k, other) => k.Task.Then(other.Done),
        ["On"] = (k, other) => k.Task.On("ok", other.Done),
        ["When"] = (k, other) => k.P.Decision("d", "D").When("x", other.Done),
        ["Otherwise"] = (k, other) => k.P.InclusiveSplit("s", "S").Otherwise(other.Done),
        ["Branch"] = (k, other) => k.P.ParallelSplit("s", "S").Branch(other.Task),
        ["WaitFor"] = (k, other) => k.P.EventChoice("c", "C").WaitFor(other.Task),
        ["Message timeout"] = (k, other) => k.P.WaitMessage("w", "W", "m").Timeout(TimeSpan.FromDays(1), other.Done),
        ["OnLateReassign"] = (k, other) => k.Task.OnLateReassign(other.Clerk),
        ["OnLateTakePath"] = (k, other) => k.Task.OnLateTakePath(other.Done),
        ["SeparateFrom"] = (k, other) => k.Task.SeparateFrom(k.Task, other.Task),
        ["RetainFamiliar"] = (k, other) => k.Task.RetainFamiliar(other.Task),
        ["Step lane"] = (k, other) => k.P.Automated("a", "A", "h").Role(other.Clerk),
    };

    public static TheoryData<string> MissingArgumentCases => [.. MissingArguments.Keys];

    public static TheoryData<string> ForeignHandleCases => [.. ForeignHandles.Keys];

    [Theory]
    [MemberData(nameof(MissingArgumentCases))]
    public void Null_or_empty_arguments_are_refused_naming_the_parameter(string call)
    {
        var (parameter, act) = MissingArguments[call];
        var kit = new Kit("main");

        var exception = Assert.ThrowsAny<ArgumentException>(() => act(kit));

        Assert.Equal(parameter, exception.ParamName);
    }

    [Theory]
    [MemberData(nameof(ForeignHandleCases))]
    public void Handles_from_another_builder_are_refused_with_a_clear_message(string call)
    {
        var kit = new Kit("main");
        var other = new Kit("other");
        var before = kit.P.BuildUnchecked();

        var exception = Assert.Throws<ArgumentException>(() => ForeignHandles[call](kit, other));

        Assert.Contains("'other'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'main'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("same ProcessBuilder", exception.Message, StringComparison.Ordinal);
        Assert.NotNull(exception.ParamName);
        if (call is "Owner" or "StartAt" or "Then" or "On" or "SeparateFrom" or "RetainFamiliar" or "OnLateReassign" or "OnLateTakePath")
        {
            Assert.Equal(before, kit.P.BuildUnchecked());
        }
    }

    /// <summary>A builder with a role, a task and an end, to call methods on.</summary>
    public sealed class Kit
    {
        public Kit(string id)
        {
            P = ProcessBuilder.Create(id, id);
            Clerk = P.Role("clerk", "Clerk");
            Task = P.HumanTask("task", "Task", Clerk);
            Done = P.End("done", "Done");
        }

        public ProcessBuilder P { get; }

        public RoleHandle Clerk { get; }

        public HumanTaskHandle Task { get; }

        public EndHandle Done { get; }
    }
}
