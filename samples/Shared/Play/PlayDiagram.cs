using System.Text;
using ProcessKit.Definitions;
using ProcessKit.History;

namespace ProcessKit.Samples.Shared.Play;

/// <summary>
/// Where an instance stands, as text: every step of the definition in order, marked as active now
/// (<c>&gt;&gt;</c>), done (<c>ok</c>) or not reached, with its role and where it leads.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class PlayDiagram
{
    public static string Render(ProcessDefinition definition, IReadOnlyCollection<string> active, IReadOnlyList<HistoryEvent> history)
    {
        var done = history.Where(static e => e.Type == HistoryEventType.StepCompleted && e.StepId is not null)
            .GroupBy(static e => e.StepId!, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => g.Count(), StringComparer.Ordinal);
        var idWidth = definition.Steps.Max(static s => s.Id.Length);
        var nameWidth = definition.Steps.Max(static s => s.Name.Length);
        var text = new StringBuilder();
        text.Append("  >> = active now, ok = done (xN: N times), blank = not reached").Append('\n');
        foreach (var step in definition.Steps)
        {
            var mark = active.Contains(step.Id) ? ">>" : done.ContainsKey(step.Id) ? "ok" : "  ";
            var times = done.TryGetValue(step.Id, out var n) && n > 1 ? $" x{n}" : string.Empty;
            var role = step.Role is null ? Kind(step.Kind) : step.Role;
            text.Append("  ").Append(mark).Append(' ')
                .Append(step.Id.PadRight(idWidth)).Append("  ")
                .Append(step.Name.PadRight(nameWidth)).Append("  ")
                .Append(role.PadRight(12));
            if (!step.Flows.IsEmpty)
            {
                text.Append(" -> ").Append(string.Join(", ", step.Flows.Select(Flow)));
            }

            text.Append(times);
            text.TrimEnd();
            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Flow(FlowDefinition flow)
    {
        var when = flow.Outcome ?? flow.Label ?? (flow.When is null ? (flow.IsDefault ? "otherwise" : null) : "if " + flow.When.Text);
        var path = flow.Path == PathKind.Happy ? null : flow.Path.ToString().ToLowerInvariant();
        var note = string.Join(", ", new[] { when, path }.Where(static s => s is not null));
        return note.Length == 0 ? flow.To : $"{flow.To} [{note}]";
    }

    private static string Kind(StepKind kind) => kind switch
    {
        StepKind.ParallelSplit => "(split)",
        StepKind.ParallelJoin => "(join)",
        StepKind.Timer => "(timer)",
        StepKind.Decision => "(decision)",
        StepKind.Automated => "(automatic)",
        StepKind.End => "(end)",
        _ => "(" + kind.ToString().ToLowerInvariant() + ")",
    };

    private static void TrimEnd(this StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }
    }
}
