using ProcessKit.Definitions;
using ProcessKit.Expressions;
using ProcessKit.History;

namespace ProcessKit.Execution;

/// <content>
/// Sub-processes: one child instance per step run, or one per item of a list (multi-instance).
/// A multi-instance step keeps its counters in the node's join slots: completed runs, runs
/// required (0 when the step is not running) and the number of items.
/// </content>
internal sealed partial class Transition
{
    private async ValueTask EnterSubProcessAsync(ModelNode node, PathKind path, int group)
    {
        var si = Begin(node, path);
        if (node.MultiInstance is { } multi)
        {
            await EnterMultiSubProcessAsync(node, multi, si, path, group).ConfigureAwait(false);
            return;
        }

        var child = await TryStartChildAsync(node, si).ConfigureAwait(false);
        if (child is null)
        {
            return;
        }

        if (child.State == InstanceState.Running)
        {
            Instance.AddToken(new Token(node.Index, si, group, TokenWait.SubProcess, child.Id.Value));
            return;
        }

        SingleChildEnded(node, si, child);
    }

    /// <summary>Starts the child of one step run with the step's input mappings; null (and an incident on the run) when it cannot start.</summary>
    private async ValueTask<InstanceRecord?> TryStartChildAsync(ModelNode node, int si)
    {
        var step = (SubProcessStep)node.Step;
        try
        {
            var model = _engine.FindModel(step.ProcessId, step.Version)
                ?? throw new InvalidOperationException($"The sub-process '{step.ProcessId}' is not deployed.");
            var data = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (field, value) in node.InputMappings)
            {
                data[field] = value.Evaluate(View, _time, CancellationToken);
            }

            return await _engine.StartChildAsync(model, data, (Instance.Id, node.Index, si), Now, CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProcessKitException or ExpressionEvaluationException or InvalidOperationException)
        {
            if (node.MultiInstance is null)
            {
                Incident(node, si, ex.Message);
            }
            else
            {
                StopMulti(node, si, ex.Message);
            }

            return null;
        }
    }

    /// <summary>A sub-process this instance waits for has ended: take its results and go on.</summary>
    /// <returns>False when no step of this instance waits for that child any more.</returns>
    public async ValueTask<bool> ChildEndedAsync(InstanceRecord child)
    {
        for (var i = 0; i < Instance.TokenCount; i++)
        {
            var token = Instance.Tokens[i];
            if (token.Wait == TokenWait.SubProcess && token.Ref == child.Id.Value)
            {
                Instance.RemoveTokenAt(i);
                CancelGroup(token.Group);
                var node = Model.Nodes[token.Node];
                if (node.MultiInstance is not { } multi)
                {
                    SingleChildEnded(node, token.StepInstance, child);
                }
                else if (RunEnded(node, token.StepInstance, child) && multi.Mode == MultiInstanceMode.Sequential)
                {
                    await RunSequentialAsync(node, 0, PathKind.Happy, token.Group).ConfigureAwait(false);
                }

                return true;
            }
        }

        return false;
    }

    private void SingleChildEnded(ModelNode node, int si, InstanceRecord child)
    {
        if (child.State != InstanceState.Completed)
        {
            Incident(node, si, ChildEndedMessage(child));
            return;
        }

        var childView = new SlotView(child.Model, child.Slots);
        foreach (var (slot, value) in node.OutputMappings)
        {
            var result = value.Evaluate(childView, _time, CancellationToken);
            Instance.Slots[slot] = DataValues.TryConvert(Model.FieldTypes[slot], result, out var converted) ? converted : result;
        }

        Complete(node, si, detail: child.EndOutcome);
        Follow(node);
    }

    private static string ChildEndedMessage(InstanceRecord child) =>
        $"The sub-process instance {child.Id} ended {child.State.ToString().ToLowerInvariant()}.";

    private async ValueTask EnterMultiSubProcessAsync(ModelNode node, MultiInstance multi, int si, PathKind path, int group)
    {
        List<object?> items;
        try
        {
            items = Items(node);
        }
        catch (ExpressionEvaluationException ex)
        {
            Incident(node, si, ex.Message);
            return;
        }

        foreach (var (slot, _) in node.OutputMappings)
        {
            Instance.Slots[slot] = new List<object?>();
        }

        if (items.Count == 0)
        {
            Complete(node, si);
            Follow(node);
            return;
        }

        var joins = Joins();
        var at = 3 * node.Index;
        joins[at] = 0;
        joins[at + 1] = Math.Clamp(multi.RequiredCompletions ?? items.Count, 1, items.Count);
        joins[at + 2] = items.Count;
        if (multi.Mode == MultiInstanceMode.Sequential)
        {
            await RunSequentialAsync(node, si, path, group).ConfigureAwait(false);
            return;
        }

        for (var k = 0; k < items.Count && joins[at + 1] != 0; k++)
        {
            var run = k == 0 ? si : Begin(node, path);
            Instance.Slots[node.ItemSlot] = items[k];
            var child = await TryStartChildAsync(node, run).ConfigureAwait(false);
            if (child is null)
            {
                return;
            }

            if (child.State == InstanceState.Running)
            {
                Instance.AddToken(new Token(node.Index, run, group, TokenWait.SubProcess, child.Id.Value));
            }
            else if (!RunEnded(node, run, child))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Starts the child for the next item of a sequential multi-instance sub-process (the list is read
    /// again each time), and the one after it for as long as each ends at once.
    /// </summary>
    /// <param name="node">The step.</param>
    /// <param name="run">The step run to use for the next item; 0 begins a new one.</param>
    /// <param name="path">The path a new run is entered on.</param>
    /// <param name="group">The event-choice group of the step's tokens.</param>
    private async ValueTask RunSequentialAsync(ModelNode node, int run, PathKind path, int group)
    {
        var at = 3 * node.Index;
        while (true)
        {
            List<object?> items;
            try
            {
                items = Items(node);
            }
            catch (ExpressionEvaluationException ex)
            {
                StopMulti(node, run != 0 ? run : Begin(node, path), ex.Message);
                return;
            }

            var next = Joins()[at];
            if (next >= items.Count)
            {
                FinishMulti(node);
                return;
            }

            if (run == 0)
            {
                run = Begin(node, path);
            }

            Instance.Slots[node.ItemSlot] = items[next];
            var child = await TryStartChildAsync(node, run).ConfigureAwait(false);
            if (child is null)
            {
                return;
            }

            if (child.State == InstanceState.Running)
            {
                Instance.AddToken(new Token(node.Index, run, group, TokenWait.SubProcess, child.Id.Value));
                return;
            }

            if (!RunEnded(node, run, child))
            {
                return;
            }

            run = 0;
        }
    }

    /// <summary>
    /// Counts a finished child of a multi-instance sub-process: its outputs are appended to the
    /// output targets and its run completes; after the required number of completions the other
    /// runs are cancelled and the step goes on. A child that did not complete stops the step.
    /// </summary>
    /// <returns>True while the step still waits for more runs.</returns>
    private bool RunEnded(ModelNode node, int run, InstanceRecord child)
    {
        if (child.State != InstanceState.Completed)
        {
            StopMulti(node, run, ChildEndedMessage(child));
            return false;
        }

        try
        {
            var childView = new SlotView(child.Model, child.Slots);
            foreach (var (slot, value) in node.OutputMappings)
            {
                var result = value.Evaluate(childView, _time, CancellationToken);
                // A new list each time: the committed record shares its slot values with this copy.
                List<object?> collected = Instance.Slots[slot] is List<object?> earlier ? [.. earlier, result] : [result];
                Instance.Slots[slot] = collected;
            }
        }
        catch (ExpressionEvaluationException ex)
        {
            StopMulti(node, run, ex.Message);
            return false;
        }

        Complete(node, run, detail: child.EndOutcome);
        var joins = Joins();
        var at = 3 * node.Index;
        joins[at]++;
        if (joins[at] >= joins[at + 1])
        {
            FinishMulti(node);
            return false;
        }

        return true;
    }

    /// <summary>The step as a whole is done: runs still waiting are cancelled (their children with them) and the step's flows are taken.</summary>
    private void FinishMulti(ModelNode node)
    {
        CancelRuns(node);
        Follow(node);
    }

    /// <summary>A run failed: the other runs are cancelled and the step parks on an incident at that run (a retry runs the whole step again).</summary>
    private void StopMulti(ModelNode node, int run, string message)
    {
        CancelRuns(node);
        Incident(node, run, message);
    }

    private void CancelRuns(ModelNode node)
    {
        for (var i = Instance.TokenCount - 1; i >= 0; i--)
        {
            if (Instance.Tokens[i].Node == node.Index && Instance.Tokens[i].Wait == TokenWait.SubProcess)
            {
                CancelToken(i);
            }
        }

        var joins = Joins();
        var at = 3 * node.Index;
        joins[at] = joins[at + 1] = joins[at + 2] = 0;
    }
}
