using System.Collections.Frozen;
using System.Globalization;

namespace ProcessKit.Definitions.Validation;

/// <summary>
/// Orders problems by where their JSON pointers are in a document written in the format's property
/// order (<c>docs/format-spec.md</c>): array items by index, properties by their place in their
/// object, a parent before its children. The sort is stable: problems at the same place keep the
/// order they were found in.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class DocumentOrder
{
    private static readonly FrozenDictionary<string, int> Root = Ranks(
        "$schema", "id", "version", "name", "description", "kind", "category", "goal", "ownerRole",
        "suppliers", "clients", "roles", "start", "steps", "deadlines", "targets", "triggers");

    private static readonly FrozenDictionary<string, int> Step = Ranks(
        "id", "name", "kind", "description", "role", "workTime", "fixedCost", "next",
        "outcomes", "reads", "writes", "goalTime", "deadline", "escalations", "allocation", "multiInstance",
        "handler", "asynchronous", "retry", "timeout", "split", "message", "correlation", "wait",
        "process", "version", "inputs", "outputs", "outcome", "terminate");

    // Every other object: suppliers, clients, roles, fields, flows, deadlines, due times, escalations,
    // allocations, multi-instance, retry, mappings, timeouts, targets, triggers. Siblings of one kind of
    // object keep the format's order in this single list.
    private static readonly FrozenDictionary<string, int> Other = Ranks(
        "id", "name", "target", "type", "value", "action", "kind", "from", "until", "within", "after", "at",
        "role", "to", "when", "outcome", "default", "label", "interrupting", "path", "message", "every",
        "required", "description", "minimum", "maximum", "hourlyCost", "inputs", "outputs", "goalTime",
        "escalations", "strategy", "assignee", "separateFrom", "retainFamiliar", "collection", "itemName",
        "mode", "requiredCompletions", "maxAttempts", "delay", "backoffMultiplier", "maxDelay",
        "cycleTime", "costPerInstance", "satisfaction", "satisfactionField");

    /// <summary>Sorts <paramref name="problems"/> in document order, stably.</summary>
    public static IEnumerable<DefinitionProblem> Sort(IReadOnlyList<DefinitionProblem> problems)
    {
        var keys = problems.Select(static p => Key(p.Path)).ToArray();
        return Enumerable.Range(0, problems.Count)
            .OrderBy(i => keys[i], KeyComparer.Instance)
            .ThenBy(static i => i)
            .Select(i => problems[i]);
    }

    private static FrozenDictionary<string, int> Ranks(params string[] names) =>
        names.Select(static (name, rank) => (name, rank)).ToFrozenDictionary(static p => p.name, static p => p.rank, StringComparer.Ordinal);

    // Each segment becomes (rank, text): array indexes rank by value, names by their place in their object.
    private static (long Rank, string Text)[] Key(string path)
    {
        var segments = path.Length == 0 ? [] : path[1..].Split('/');
        var key = new (long, string)[segments.Length];
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            if (long.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                key[s] = (index, segment);
                continue;
            }

            var table = s == 0 ? Root
                : s == 2 && segments[0] == "steps" ? Step
                : Other;
            key[s] = (table.TryGetValue(segment, out var rank) ? rank : int.MaxValue, segment);
        }

        return key;
    }

    private sealed class KeyComparer : IComparer<(long Rank, string Text)[]>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare((long Rank, string Text)[]? x, (long Rank, string Text)[]? y)
        {
            x ??= [];
            y ??= [];
            for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
            {
                var byRank = x[i].Rank.CompareTo(y[i].Rank);
                if (byRank != 0)
                {
                    return byRank;
                }

                var byText = string.CompareOrdinal(x[i].Text, y[i].Text);
                if (byText != 0)
                {
                    return byText;
                }
            }

            return x.Length.CompareTo(y.Length);
        }
    }
}
