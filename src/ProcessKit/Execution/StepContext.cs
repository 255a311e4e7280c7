namespace ProcessKit.Execution;

/// <summary>
/// What an automated step's handler sees: the instance data, where it runs, a stable idempotency
/// key and a cancellation token; and where it writes its results.
/// </summary>
/// <remarks>
/// Made by the engine for one handler call and valid only during it; not thread-safe. Values
/// written with <see cref="Set(string, object?)"/> are merged into the instance when the handler
/// returns successfully, and dropped when it fails.
/// </remarks>
public sealed class StepContext
{
    private Transition? _transition;
    private ModelNode? _node;
    private string? _idempotencyKey;
    private List<KeyValuePair<int, object?>>? _writes;

    internal StepContext()
    {
    }

    /// <summary>The instance.</summary>
    public InstanceId Instance { get; private set; }

    /// <summary>The process id.</summary>
    public string ProcessId => Owner.Model.Id;

    /// <summary>The process version the instance runs.</summary>
    public int ProcessVersion => Owner.Model.Version;

    /// <summary>The id of the step being run.</summary>
    public string StepId => Node.Id;

    /// <summary>Which run of the step this is within the instance (see <see cref="History.HistoryEvent.StepInstance"/>).</summary>
    public int StepInstance { get; private set; }

    /// <summary>
    /// A key that is the same every time this run of the step is tried, and different for every
    /// other run: <c>{instance}/{stepId}/{stepInstance}</c>. Pass it to external systems to make the
    /// work idempotent.
    /// </summary>
    public string IdempotencyKey => _idempotencyKey ??= string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"{Instance.Value}/{Node.Id}/{StepInstance}");

    /// <summary>Cancelled when the command that runs the step is cancelled.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>The instance data by field name (numbers as <see cref="decimal"/>); writes of this call are not visible here.</summary>
    public IReadOnlyDictionary<string, object?> Data => Owner.View;

    private Transition Owner => _transition ?? throw new InvalidOperationException("The step context is used outside its handler call.");

    private ModelNode Node => _node ?? throw new InvalidOperationException("The step context is used outside its handler call.");

    /// <summary>Reads a field.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The value, or <see langword="null"/> when the field is unset or not declared.</returns>
    public object? Get(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var owner = Owner;
        return owner.Model.FieldIndex.TryGetValue(field, out var slot) ? owner.Instance.Slots[slot] : null;
    }

    /// <summary>Writes a field; the value is merged into the instance when the handler succeeds.</summary>
    /// <param name="field">A field the process declares.</param>
    /// <param name="value">The value: text, a number, a boolean, a date-time, a duration, an object or a list (JSON values are accepted too); <see langword="null"/> clears it.</param>
    /// <exception cref="ArgumentException">The field is not declared, or the value does not fit its type.</exception>
    public void Set(string field, object? value)
    {
        ArgumentNullException.ThrowIfNull(field);
        var model = Owner.Model;
        if (!model.FieldIndex.TryGetValue(field, out var slot))
        {
            throw new ArgumentException($"The process '{model.Id}' declares no field '{field}'.", nameof(field));
        }

        if (!DataValues.TryConvert(model.FieldTypes[slot], value, out var converted))
        {
            throw new ArgumentException($"The field '{field}' is a {model.FieldTypes[slot]}; {DataValues.Describe(value)} does not fit.", nameof(value));
        }

        _writes!.Add(new(slot, converted));
    }

    /// <summary>
    /// Writes a number field without boxing the value twice (as <see cref="Set(string, object?)"/> does with an
    /// <see cref="int"/>, first as itself, then as the <see cref="decimal"/> it becomes); any other field takes the
    /// value as <see cref="Set(string, object?)"/> would.
    /// </summary>
    /// <param name="field">A field the process declares.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The field is not declared, or the value does not fit its type.</exception>
    public void Set(string field, decimal value) => SetNumber(field, value, value);

    /// <inheritdoc cref="Set(string, decimal)"/>
    public void Set(string field, int value) => SetNumber(field, value, value);

    /// <inheritdoc cref="Set(string, decimal)"/>
    public void Set(string field, long value) => SetNumber(field, value, value);

    /// <summary>Writes <paramref name="number"/> to a number field, boxed once; any other field takes <paramref name="value"/> as given (boxed only then).</summary>
    private void SetNumber<T>(string field, T value, decimal number)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(field);
        var model = Owner.Model;
        if (model.FieldIndex.TryGetValue(field, out var slot) && model.FieldTypes[slot] == Definitions.DataType.Number)
        {
            _writes!.Add(new(slot, number));
            return;
        }

        Set(field, (object)value);
    }

    internal void Reset(Transition transition, ModelNode node, InstanceId instance, int stepInstance, CancellationToken cancellationToken)
    {
        _transition = transition;
        _node = node;
        Instance = instance;
        StepInstance = stepInstance;
        CancellationToken = cancellationToken;
        _idempotencyKey = null;
        _writes = transition.Writes;
        _writes.Clear();
    }

    internal void MergeInto(object?[] slots)
    {
        if (_writes is null)
        {
            return;
        }

        foreach (var write in _writes)
        {
            slots[write.Key] = write.Value;
        }

        _writes.Clear();
    }

    internal void Detach()
    {
        _transition = null;
        _node = null;
        _writes?.Clear();
        _writes = null;
    }
}
