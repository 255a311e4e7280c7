namespace ProcessKit.Execution;

/// <summary>
/// The state of one instance as the store keeps it. A committed record is never changed: a command
/// works on a copy (<see cref="CopyForCommand"/>) that replaces it on commit. The history array is
/// shared and only appended to beyond the committed count, so readers of the committed record are
/// unaffected.
/// </summary>
internal sealed class InstanceRecord
{
    private static readonly Token[] NoTokens = [];

    // Which per-node arrays this record shares with the committed record it was copied from.
    private SharedArrays _shared;

    [Flags]
    private enum SharedArrays : byte
    {
        None = 0,
        Joins = 1,
        Performers = 2,
        Spans = 4,
        All = Joins | Performers | Spans,
    }

    public required InstanceId Id { get; init; }

    public required ProcessModel Model { get; init; }

    public long Version { get; set; }

    public InstanceState State { get; set; }

    public string? BusinessKey { get; init; }

    public string? EndOutcome { get; set; }

    public long StartedTicks { get; init; }

    public long EndedTicks { get; set; }

    public required object?[] Slots { get; set; }

    public Token[] Tokens { get; set; } = NoTokens;

    public int TokenCount { get; set; }

    /// <summary>Per node: arrivals at a join (index 2n) and the join's step instance (2n+1); expected arrivals of an inclusive merge are at the split's entry.</summary>
    public int[]? Joins { get; set; }

    /// <summary>Per node: who completed the step last (retain familiar, separation of duties).</summary>
    public string?[]? Performers { get; set; }

    /// <summary>Per span deadline: the step instance of the running span, or 0.</summary>
    public int[]? Spans { get; set; }

    public int StepCounter { get; set; }

    /// <summary>For a sub-process instance: the calling instance, its step and step run.</summary>
    public (InstanceId Instance, int Node, int StepInstance)? Parent { get; init; }

    public required HistoryRecord[] History { get; set; }

    /// <summary>
    /// Whether <see cref="History"/> is a transition's buffer lent for one command (see <see cref="Transition.LendHistory"/>):
    /// valid until the command is done, reused by the next. A store that keeps the record past the commit gives it an array
    /// of its own first (<see cref="OwnHistory"/>); one that packs or writes the events does not need to.
    /// </summary>
    public bool HistoryLent { get; set; }

    public int HistoryCount { get; set; }

    /// <summary>How many events a durable store holds for the instance before those in <see cref="History"/> (which a command only appends to); 0 in memory, where the record holds them all.</summary>
    public int HistoryBase { get; init; }

    /// <summary>The notes of the history events that have one (<see cref="HistoryRecord.Note"/>); shared and appended to like <see cref="History"/>.</summary>
    public HistoryNote[]? Notes { get; set; }

    public int NoteCount { get; set; }

    public bool IsEnded => State != InstanceState.Running;

    /// <summary>Whether nobody else holds this record: a store made it for this one read (unpacked it), so a command may work on it without copying.</summary>
    public bool IsPrivate { get; set; }

    /// <summary>The record a command works on: this one when it is <see cref="IsPrivate"/> (once), else a copy.</summary>
    public InstanceRecord TakeForCommand()
    {
        if (IsPrivate)
        {
            IsPrivate = false;
            return this;
        }

        return CopyForCommand();
    }

    /// <summary>
    /// A copy for a command: what every command changes (slots, tokens) is copied; the history and notes are shared
    /// and only appended to; the per-node arrays (joins, performers, spans), which few commands change, are shared
    /// until the command writes one (<see cref="WritablePerformers"/>, <see cref="WritableJoins"/>, <see cref="WritableSpans"/>).
    /// </summary>
    public InstanceRecord CopyForCommand() => new()
    {
        Id = Id,
        Model = Model,
        Version = Version,
        State = State,
        BusinessKey = BusinessKey,
        EndOutcome = EndOutcome,
        StartedTicks = StartedTicks,
        EndedTicks = EndedTicks,
        Slots = (object?[])Slots.Clone(),
        Tokens = TokenCount == 0 ? NoTokens : (Token[])Tokens.Clone(),
        TokenCount = TokenCount,
        Joins = Joins,
        Performers = Performers,
        Spans = Spans,
        _shared = Joins is null && Performers is null && Spans is null ? SharedArrays.None : SharedArrays.All,
        StepCounter = StepCounter,
        Parent = Parent,
        History = History,
        HistoryLent = HistoryLent,
        HistoryCount = HistoryCount,
        HistoryBase = HistoryBase,
        Notes = Notes,
        NoteCount = NoteCount,
    };

    /// <summary>The performers, made or copied first when this record has none of its own.</summary>
    public string?[] WritablePerformers()
    {
        if (Performers is null || (_shared & SharedArrays.Performers) != 0)
        {
            Performers = Performers is null ? new string?[Model.Nodes.Length] : (string?[])Performers.Clone();
            _shared &= ~SharedArrays.Performers;
        }

        return Performers;
    }

    /// <summary>The join counters, made or copied first when this record has none of its own.</summary>
    public int[] WritableJoins()
    {
        if (Joins is null || (_shared & SharedArrays.Joins) != 0)
        {
            Joins = Joins is null ? new int[3 * Model.Nodes.Length] : (int[])Joins.Clone();
            _shared &= ~SharedArrays.Joins;
        }

        return Joins;
    }

    /// <summary>The running spans, made or copied first when this record has none of its own.</summary>
    public int[] WritableSpans()
    {
        if (Spans is null || (_shared & SharedArrays.Spans) != 0)
        {
            Spans = Spans is null ? new int[Model.Spans.Length] : (int[])Spans.Clone();
            _shared &= ~SharedArrays.Spans;
        }

        return Spans;
    }

    public void AddToken(Token token)
    {
        if (TokenCount == Tokens.Length)
        {
            var grown = new Token[Math.Max(1, Tokens.Length * 2)];
            Array.Copy(Tokens, grown, TokenCount);
            Tokens = grown;
        }

        Tokens[TokenCount++] = token;
    }

    public void RemoveTokenAt(int index)
    {
        TokenCount--;
        if (index < TokenCount)
        {
            Array.Copy(Tokens, index + 1, Tokens, index, TokenCount - index);
        }

        Tokens[TokenCount] = default;
    }

    public int FindToken(int node, int stepInstance, TokenWait wait)
    {
        for (var i = 0; i < TokenCount; i++)
        {
            var t = Tokens[i];
            if (t.Node == node && t.StepInstance == stepInstance && t.Wait == wait)
            {
                return i;
            }
        }

        return -1;
    }

    public int FindTask(long taskId)
    {
        for (var i = 0; i < TokenCount; i++)
        {
            if (Tokens[i].Wait == TokenWait.Task && Tokens[i].Ref == taskId)
            {
                return i;
            }
        }

        return -1;
    }

    public ref HistoryRecord Append()
    {
        if (HistoryCount == History.Length)
        {
            // A record read back with its history sized to its events grows once to what a run of the graph needs.
            var grown = new HistoryRecord[Math.Max(History.Length * 2, Model.HistoryCapacity)];
            Array.Copy(History, grown, HistoryCount);
            History = grown;
            HistoryLent = false;
        }

        ref var record = ref History[HistoryCount++];
        record = default;
        return ref record;
    }

    /// <summary>
    /// Gives the record a history array of its own holding its events and room for <paramref name="room"/> more,
    /// in place of a lent one (<see cref="HistoryLent"/>) or of one mostly empty.
    /// </summary>
    public void OwnHistory(int room)
    {
        var owned = new HistoryRecord[HistoryCount + room];
        Array.Copy(History, owned, HistoryCount);
        History = owned;
        HistoryLent = false;
    }

    /// <summary>Keeps a note for the event just appended.</summary>
    public void AddNote(ref HistoryRecord record, HistoryNote note)
    {
        var notes = Notes ??= new HistoryNote[4];
        if (NoteCount == notes.Length)
        {
            var grown = new HistoryNote[notes.Length * 2];
            Array.Copy(notes, grown, NoteCount);
            Notes = notes = grown;
        }

        notes[NoteCount++] = note;
        record.Note = NoteCount;
    }

    /// <summary>The note of a history event, or an empty one.</summary>
    public HistoryNote NoteOf(in HistoryRecord record) => record.Note == 0 ? default : Notes![record.Note - 1];
}
