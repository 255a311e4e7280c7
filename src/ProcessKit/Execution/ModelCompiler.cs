using System.Collections.Frozen;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Validation;

namespace ProcessKit.Execution;

/// <summary>Compiles a valid definition into a <see cref="ProcessModel"/>.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class ModelCompiler
{
    public static ProcessModel Compile(ProcessDefinition definition, IReadOnlyDictionary<string, IStepHandler> handlers)
    {
        var problems = ProcessDefinitionValidator.Validate(definition);
        if (problems.Any(static p => p.Severity == ProblemSeverity.Error))
        {
            throw new DefinitionException(problems.Where(static p => p.Severity == ProblemSeverity.Error), definition.Id);
        }

        var missing = definition.Steps.OfType<AutomatedStep>().Select(static s => s.Handler).Where(h => !handlers.ContainsKey(h)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidCommandException(
                ProcessErrorCodes.HandlerNotRegistered,
                $"The process '{definition.Id}' uses handler(s) that are not registered: {string.Join(", ", missing)}. Register them with ProcessEngineOptions.AddHandler.",
                missing);
        }

        var fields = new Dictionary<string, DataType>(StringComparer.Ordinal);
        var order = new List<string>();
        void Declare(string name, DataType type)
        {
            if (fields.TryAdd(name, type))
            {
                order.Add(name);
            }
        }

        var inputs = new Dictionary<string, DataField>(StringComparer.Ordinal);
        foreach (var supplier in definition.Suppliers)
        {
            foreach (var input in supplier.Inputs)
            {
                Declare(input.Name, input.Type);
                inputs.TryAdd(input.Name, input);
            }
        }

        foreach (var client in definition.Clients)
        {
            foreach (var output in client.Outputs)
            {
                Declare(output.Name, output.Type);
            }
        }

        foreach (var step in definition.Steps)
        {
            foreach (var write in WritesOf(step))
            {
                Declare(write.Name, write.Type);
            }

            if (MultiOf(step) is { } multi)
            {
                Declare(multi.ItemName, DataType.Object);
            }

            if (step is SubProcessStep sub)
            {
                foreach (var mapping in sub.Outputs)
                {
                    Declare(mapping.Target, sub.MultiInstance is null ? DataType.Object : DataType.List);
                }
            }
        }

        foreach (var step in definition.Steps)
        {
            foreach (var read in ReadsOf(step))
            {
                Declare(read, DataType.Object);
            }
        }

        var fieldIndex = order.Select((name, i) => KeyValuePair.Create(name, i)).ToFrozenDictionary(StringComparer.Ordinal);
        var roleIds = definition.Roles.Select(static r => r.Id).ToArray();
        var roleIndex = roleIds.Select((id, i) => KeyValuePair.Create(id, i)).ToFrozenDictionary(StringComparer.Ordinal);
        var nodeIndex = definition.Steps.Select((s, i) => KeyValuePair.Create(s.Id, i)).ToFrozenDictionary(StringComparer.Ordinal);
        int RoleOf(string? role) => role is not null && roleIndex.TryGetValue(role, out var r) ? r : -1;
        int NodeOf(string? id) => id is not null && nodeIndex.TryGetValue(id, out var n) ? n : -1;
        ModelEscalation[] Escalations(ValueArray<Escalation> escalations) =>
            [.. escalations.Select(e => new ModelEscalation(e, ModelDue.From(e.At), RoleOf(e.Role), NodeOf(e.To)))];

        var nodes = new ModelNode[definition.Steps.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            var step = definition.Steps[i];
            var writes = WritesOf(step).ToArray();
            var multi = MultiOf(step);
            nodes[i] = step switch
            {
                AutomatedStep a => new ModelNode
                {
                    Index = i, Step = step, Role = RoleOf(step.Role), FixedCost = step.FixedCost ?? 0m,
                    Handler = handlers[a.Handler], Writes = writes, WriteSlots = Slots(writes, fieldIndex),
                    MultiInstance = multi, Collection = multi is null ? null : new ModelExpression(multi.Collection),
                    ItemSlot = multi is null ? -1 : fieldIndex[multi.ItemName],
                },
                HumanTaskStep h => new ModelNode
                {
                    Index = i, Step = step, Role = RoleOf(step.Role), FixedCost = step.FixedCost ?? 0m,
                    Writes = writes, WriteSlots = Slots(writes, fieldIndex), Outcomes = [.. h.Outcomes],
                    Deadline = ModelDue.From(h.Deadline), Escalations = Escalations(h.Escalations),
                    Strategy = h.Allocation.Strategy,
                    Assignee = h.Allocation.Assignee is null ? null : new ModelExpression(h.Allocation.Assignee),
                    RetainFamiliar = NodeOf(h.Allocation.RetainFamiliar),
                    SeparateFrom = [.. h.Allocation.SeparateFrom.Select(NodeOf).Where(static n => n >= 0)],
                    MultiInstance = multi, Collection = multi is null ? null : new ModelExpression(multi.Collection),
                    ItemSlot = multi is null ? -1 : fieldIndex[multi.ItemName],
                },
                WaitMessageStep w => new ModelNode
                {
                    Index = i, Step = step, Role = RoleOf(step.Role), FixedCost = step.FixedCost ?? 0m,
                    Writes = writes, WriteSlots = Slots(writes, fieldIndex), Message = w.Message,
                    Correlation = w.Correlation is null ? null : new ModelExpression(w.Correlation),
                    Timeout = ModelDue.From(w.Timeout?.After), TimeoutTarget = NodeOf(w.Timeout?.To),
                    TimeoutPath = w.Timeout?.Path ?? PathKind.Exception, Escalations = Escalations(w.Escalations),
                },
                SubProcessStep s => new ModelNode
                {
                    Index = i, Step = step, Role = RoleOf(step.Role), FixedCost = step.FixedCost ?? 0m,
                    MultiInstance = multi, Collection = multi is null ? null : new ModelExpression(multi.Collection),
                    ItemSlot = multi is null ? -1 : fieldIndex[multi.ItemName],
                    InputMappings = [.. s.Inputs.Select(m => (m.Target, new ModelExpression(m.Value)))],
                    OutputMappings = [.. s.Outputs.Select(m => (fieldIndex[m.Target], new ModelExpression(m.Value)))],
                },
                TimerStep t => new ModelNode { Index = i, Step = step, Role = RoleOf(step.Role), FixedCost = step.FixedCost ?? 0m, Wait = ModelDue.From(t.Wait) },
                _ => new ModelNode { Index = i, Step = step, Role = RoleOf(step.Role), FixedCost = step.FixedCost ?? 0m },
            };
        }

        var hasJoins = false;
        for (var i = 0; i < nodes.Length; i++)
        {
            var step = definition.Steps[i];
            nodes[i].Edges = [.. step.Flows.Select(f => new ModelEdge(
                nodeIndex[f.To], f.When is null ? null : new ModelExpression(f.When), f.Outcome, f.IsDefault, f.Path))];
            foreach (var flow in step.Flows)
            {
                nodes[nodeIndex[flow.To]].InDegree++;
            }

            switch (step)
            {
                case InclusiveMergeStep merge:
                    nodes[nodeIndex[merge.Split]].Merge = i;
                    hasJoins = true;
                    break;
                case ParallelJoinStep:
                    hasJoins = true;
                    break;
            }
        }

        var spans = definition.Deadlines.Select(d => new ModelSpan(
            d.Id, nodeIndex[d.From], NodeOf(d.Until), ModelDue.From(d.Within)!, Escalations(d.Escalations), Inside(nodes, nodeIndex[d.From], NodeOf(d.Until)))).ToArray();
        var satisfaction = definition.Targets?.SatisfactionField is { } sf && fieldIndex.TryGetValue(sf, out var ss) ? ss : -1;

        return new ProcessModel
        {
            Definition = definition,
            Nodes = nodes,
            StartNode = nodeIndex[definition.GetStartStepId()!],
            NodeIndex = nodeIndex,
            FieldIndex = fieldIndex,
            FieldNames = [.. order],
            FieldTypes = [.. order.Select(n => fields[n])],
            Inputs = [.. inputs.Values],
            SatisfactionSlot = satisfaction,
            RoleIds = roleIds,
            RoleRates = [.. definition.Roles.Select(static r => r.HourlyCost)],
            RoleIndex = roleIndex,
            Spans = spans,
            MessageTriggers = [.. definition.Triggers.Where(static t => t.Kind == TriggerKind.Message).Select(static t => t.Message!)],
            HasJoins = hasJoins,
        };
    }

    /// <summary>
    /// The steps of a span: every step reachable from its first step (by flows, message timeouts and
    /// step escalations) without passing the step that ends it.
    /// </summary>
    private static bool[] Inside(ModelNode[] nodes, int from, int until)
    {
        var inside = new bool[nodes.Length];
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n < 0 || n == until || inside[n])
            {
                continue;
            }

            inside[n] = true;
            var node = nodes[n];
            foreach (var edge in node.Edges)
            {
                stack.Push(edge.Target);
            }

            stack.Push(node.TimeoutTarget);
            foreach (var escalation in node.Escalations)
            {
                stack.Push(escalation.Target);
            }
        }

        return inside;
    }

    private static int[] Slots(DataField[] writes, FrozenDictionary<string, int> fieldIndex) =>
        [.. writes.Select(w => fieldIndex[w.Name])];

    private static IEnumerable<DataField> WritesOf(StepDefinition step) => step switch
    {
        HumanTaskStep h => h.Writes,
        AutomatedStep a => a.Writes,
        WaitMessageStep w => w.Writes,
        _ => [],
    };

    private static IEnumerable<string> ReadsOf(StepDefinition step) => step switch
    {
        HumanTaskStep h => h.Reads,
        AutomatedStep a => a.Reads,
        _ => [],
    };

    private static MultiInstance? MultiOf(StepDefinition step) => step switch
    {
        HumanTaskStep h => h.MultiInstance,
        AutomatedStep a => a.MultiInstance,
        SubProcessStep s => s.MultiInstance,
        _ => null,
    };
}
