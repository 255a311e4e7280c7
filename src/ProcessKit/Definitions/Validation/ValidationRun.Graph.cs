namespace ProcessKit.Definitions.Validation;

/// <summary>
/// Rules on the graph of steps: reachability, a path to an end, splits and joins, recursive
/// sub-processes, and loops that never wait. Linear in steps and flows (breadth-first searches and
/// Tarjan's strongly connected components), except one search per split for its branches.
/// </summary>
internal sealed partial class ValidationRun
{
    private void CheckGraph()
    {
        var count = _steps.Count;
        if (count == 0)
        {
            return;
        }

        // Edges: flows, escalation and timeout targets; a deadline's escalation counts from the step that starts it.
        var edges = new List<int>[count];
        var flowEdges = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            edges[i] = [];
            flowEdges[i] = [];
            if (_steps[i] is not { } step || !IsCanonical(i))
            {
                continue;
            }

            foreach (var flow in step.Flows)
            {
                if (Target(flow?.To) is { } target)
                {
                    edges[i].Add(target);
                    flowEdges[i].Add(target);
                }
            }

            var escalations = step switch
            {
                HumanTaskStep task => task.Escalations,
                WaitMessageStep wait => wait.Escalations,
                _ => default,
            };
            foreach (var escalation in escalations)
            {
                if (Target(escalation?.To) is { } target)
                {
                    edges[i].Add(target);
                }
            }

            if (step is WaitMessageStep { Timeout: { } timeout } && Target(timeout.To) is { } timeoutTarget)
            {
                edges[i].Add(timeoutTarget);
            }
        }

        foreach (var deadline in _definition.Deadlines)
        {
            if (deadline is not null && Target(deadline.From) is { } from)
            {
                foreach (var escalation in deadline.Escalations)
                {
                    if (Target(escalation?.To) is { } target)
                    {
                        edges[from].Add(target);
                    }
                }
            }
        }

        var start = Target(_definition.GetStartStepId());
        var reachable = start is { } s ? Search(edges, [s], skip: null) : null;
        CheckReachability(reachable);
        CheckPathsToEnd(edges, reachable);
        CheckSplitsAndJoins(flowEdges);
        if (start is { } origin)
        {
            CheckRecursion(edges, origin);
        }

        CheckAutomatedLoops(flowEdges);
    }

    // Whether step i is the one its id refers to (not a duplicate, and with an id).
    private bool IsCanonical(int i) =>
        _steps[i] is { Id: { Length: > 0 } id } && _stepIndex.TryGetValue(id, out var index) && index == i;

    private int? Target(string? id) => id is not null && _stepIndex.TryGetValue(id, out var index) ? index : null;

    private static bool[] Search(List<int>[] edges, IEnumerable<int> from, Func<int, bool>? skip)
    {
        var seen = new bool[edges.Length];
        var queue = new Queue<int>();
        foreach (var node in from)
        {
            if (!seen[node] && skip?.Invoke(node) != true)
            {
                seen[node] = true;
                queue.Enqueue(node);
            }
        }

        while (queue.TryDequeue(out var node))
        {
            foreach (var next in edges[node])
            {
                if (!seen[next] && skip?.Invoke(next) != true)
                {
                    seen[next] = true;
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }

    private void CheckReachability(bool[]? reachable)
    {
        if (reachable is null)
        {
            return;
        }

        for (var i = 0; i < _steps.Count; i++)
        {
            if (!reachable[i] && IsCanonical(i))
            {
                Error(DefinitionProblemCodes.UnreachableStep, StepPath(i), $"{Describe(i)} cannot be reached from the start step '{_definition.GetStartStepId()}'.", "Add a flow (or an escalation or timeout) that leads to it, or remove the step.");
            }
        }
    }

    private void CheckPathsToEnd(List<int>[] edges, bool[]? reachable)
    {
        var ends = Enumerable.Range(0, _steps.Count).Where(i => _steps[i]?.Kind == StepKind.End && IsCanonical(i)).ToList();
        if (ends.Count == 0)
        {
            Error(DefinitionProblemCodes.NoPathToEnd, "/steps", "The process has no End step, so no instance could ever finish.", "Add an End step and lead the last step of each path to it.");
            return;
        }

        var reverse = new List<int>[_steps.Count];
        for (var i = 0; i < reverse.Length; i++)
        {
            reverse[i] = [];
        }

        for (var i = 0; i < edges.Length; i++)
        {
            foreach (var next in edges[i])
            {
                reverse[next].Add(i);
            }
        }

        var canEnd = Search(reverse, ends, skip: null);
        for (var i = 0; i < _steps.Count; i++)
        {
            // Unreachable steps are reported as such; a second problem about them would be noise.
            if (!canEnd[i] && IsCanonical(i) && reachable?[i] != false)
            {
                Error(DefinitionProblemCodes.NoPathToEnd, StepPath(i), $"No path leads from {Of(i)} to an End step: an instance reaching it could never finish.", "Add a flow from this step (or from the loop it is in) towards an End step.");
            }
        }
    }

    private void CheckSplitsAndJoins(List<int>[] flowEdges)
    {
        // split index -> joins naming it, in document order
        var joinsOf = new Dictionary<int, List<int>>();
        for (var i = 0; i < _steps.Count; i++)
        {
            var (splitId, expected) = _steps[i] switch
            {
                ParallelJoinStep join => (join.Split, StepKind.ParallelSplit),
                InclusiveMergeStep merge => (merge.Split, StepKind.InclusiveSplit),
                _ => (null, default(StepKind)),
            };
            if (string.IsNullOrWhiteSpace(splitId))
            {
                continue;
            }

            var path = StepPath(i) + "/split";
            if (Target(splitId) is not { } split)
            {
                Error(DefinitionProblemCodes.JoinWithoutSplit, path, $"{Describe(i)} joins the split '{splitId}', which is not a step of the process.", $"Name the {expected} step whose branches it joins. {StepHint(splitId)}");
            }
            else if (_steps[split]!.Kind != expected)
            {
                Error(DefinitionProblemCodes.JoinWithoutSplit, path, $"{Describe(i)} joins {Of(split)}, but a {_steps[i]!.Kind} joins the branches of a {expected} step.", $"Name a {expected} step, or change the kind of this step to match the split.");
            }
            else if (joinsOf.TryGetValue(split, out var joins))
            {
                joins.Add(i);
                Error(DefinitionProblemCodes.SplitNeverJoined, path, $"{Describe(i)} joins {Of(split)}, which {Of(joins[0])} already joins.", "Give each split exactly one join; join nested branches with a split and join of their own.");
            }
            else
            {
                joinsOf[split] = [i];
            }
        }

        for (var i = 0; i < _steps.Count; i++)
        {
            if (_steps[i]?.Kind is not (StepKind.ParallelSplit or StepKind.InclusiveSplit) || !IsCanonical(i))
            {
                continue;
            }

            if (!joinsOf.TryGetValue(i, out var joins))
            {
                var joinKind = _steps[i]!.Kind == StepKind.ParallelSplit ? StepKind.ParallelJoin : StepKind.InclusiveMerge;
                Error(DefinitionProblemCodes.SplitNeverJoined, StepPath(i), $"{Describe(i)} is never joined: no {joinKind} step names it.", $"Add a {joinKind} step with 'split': \"{_steps[i]!.Id}\" where its branches meet.");
                continue;
            }

            var join = joins[0];
            var flows = _steps[i]!.Flows;
            for (var f = 0; f < flows.Count; f++)
            {
                if (Target(flows[f]?.To) is { } branch && !Search(flowEdges, [branch], skip: null)[join])
                {
                    Error(DefinitionProblemCodes.SplitNeverJoined, $"{StepPath(i)}/next/{f}", $"Branch {f} of {Of(i)} never reaches its join '{_steps[join]!.Id}': the join would wait for it forever.", $"Lead the branch to '{_steps[join]!.Id}'.");
                }
            }
        }
    }

    private void CheckRecursion(List<int>[] edges, int start)
    {
        var selfCalls = Enumerable.Range(0, _steps.Count)
            .Where(i => _steps[i] is SubProcessStep sub && IsCanonical(i)
                && string.Equals(sub.ProcessId, _definition.Id, StringComparison.Ordinal)
                && (sub.Version is null || sub.Version == _definition.Version))
            .ToHashSet();
        if (selfCalls.Count == 0)
        {
            return;
        }

        var reached = Search(edges, [start], skip: selfCalls.Contains);
        var endReachable = Enumerable.Range(0, _steps.Count).Any(i => reached[i] && _steps[i]?.Kind == StepKind.End);
        if (!endReachable)
        {
            var first = selfCalls.Min();
            Error(DefinitionProblemCodes.RecursiveSubProcess, StepPath(first) + "/process", $"{Describe(first)} runs this same process, and every path to an End step goes through such a call: an instance could never finish.", "Give the process a path to an End step that does not call itself, or call another process.");
        }
    }

    private void CheckAutomatedLoops(List<int>[] flowEdges)
    {
        var count = _steps.Count;
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Edge)>();
        var next = 0;
        var loops = new List<List<int>>();

        bool Passes(int node) => IsCanonical(node) && _steps[node]!.Kind is not (StepKind.HumanTask or StepKind.WaitMessage
            or StepKind.Timer or StepKind.EventChoice or StepKind.SubProcess);

        for (var root = 0; root < count; root++)
        {
            if (index[root] >= 0 || !Passes(root))
            {
                continue;
            }

            work.Push((root, 0));
            while (work.TryPop(out var frame))
            {
                var (node, edge) = frame;
                if (edge == 0)
                {
                    index[node] = low[node] = next++;
                    stack.Push(node);
                    onStack[node] = true;
                }

                var descended = false;
                var targets = flowEdges[node];
                while (edge < targets.Count)
                {
                    var target = targets[edge++];
                    if (!Passes(target))
                    {
                        continue;
                    }

                    if (index[target] < 0)
                    {
                        work.Push((node, edge));
                        work.Push((target, 0));
                        descended = true;
                        break;
                    }

                    if (onStack[target])
                    {
                        low[node] = Math.Min(low[node], index[target]);
                    }
                }

                if (descended)
                {
                    continue;
                }

                if (low[node] == index[node])
                {
                    var component = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component.Add(member);
                    }
                    while (member != node);

                    if (component.Count > 1 || flowEdges[node].Contains(node))
                    {
                        loops.Add(component);
                    }
                }

                if (work.TryPeek(out var parent))
                {
                    low[parent.Node] = Math.Min(low[parent.Node], low[node]);
                }
            }
        }

        foreach (var loop in loops)
        {
            var first = loop.Min();
            var names = string.Join(", ", loop.Order().Select(i => $"'{_steps[i]!.Id}'"));
            var what = loop.Count == 1 ? $"{Describe(first)} flows back to itself without waiting" : $"The steps {names} form a loop that never waits";
            Warning(DefinitionProblemCodes.AutomatedLoop, StepPath(first), $"{what} for a person, a message or a time: it may run without end.", "Put a waiting step (human task, message wait or timer) in the loop, or make sure a condition leaves it; the engine stops such a loop by its step budget.");
        }
    }
}
