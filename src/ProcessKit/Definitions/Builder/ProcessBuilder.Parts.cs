namespace ProcessKit.Definitions;

/// <content>Roles, suppliers, clients and deadlines, and the check that handles belong to this builder.</content>
public sealed partial class ProcessBuilder
{
    /// <summary>Declares a role that does work in the process (for example Waiter, Manager).</summary>
    /// <param name="id">A unique id within the process (for example <c>waiter</c>).</param>
    /// <param name="name">A name for people.</param>
    /// <returns>The handle of the role, to give to steps, escalations and <see cref="Owner"/>. Its hourly cost is 0 until set.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public RoleHandle Role(string id, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var role = new RoleHandle(this, id, name);
        _roles.Add(role);
        return role;
    }

    /// <summary>Declares who supplies the process with its input (for example the guest, the kitchen's stock).</summary>
    /// <param name="id">A unique id within the process.</param>
    /// <param name="name">A name for people.</param>
    /// <returns>The handle of the supplier, to add its description and inputs.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public SupplierHandle Supplier(string id, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var supplier = new SupplierHandle(id, name);
        _suppliers.Add(supplier);
        return supplier;
    }

    /// <summary>Declares who receives the output of the process (for example the guest, the company).</summary>
    /// <param name="id">A unique id within the process.</param>
    /// <param name="name">A name for people.</param>
    /// <returns>The handle of the client, to add its description and outputs.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public ClientHandle Client(string id, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var client = new ClientHandle(id, name);
        _clients.Add(client);
        return client;
    }

    /// <summary>
    /// Declares a deadline over a span of the process: the clock starts when <paramref name="from"/>
    /// is entered and stops when the step given to <see cref="DeadlineHandle.Until"/> is reached (by
    /// default, when the instance ends).
    /// </summary>
    /// <param name="id">A unique id among the process's deadlines.</param>
    /// <param name="from">The step whose entry starts the clock.</param>
    /// <param name="within">When the span is due: a <see cref="TimeSpan"/> converts implicitly, or use <see cref="DueTime.AtExpression"/>.</param>
    /// <returns>The handle of the deadline, to set where it stops and what happens when it passes.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is <see langword="null"/>, empty or white space, or <paramref name="from"/> was declared on another builder.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="from"/> or <paramref name="within"/> is <see langword="null"/>.</exception>
    public DeadlineHandle Deadline(string id, StepHandle from, DueTime within)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Own(from);
        ArgumentNullException.ThrowIfNull(within);
        var deadline = new DeadlineHandle(this, id, from.Id, within);
        _deadlines.Add(deadline);
        return deadline;
    }

    /// <summary>Refuses a step handle that is <see langword="null"/> or was declared on another builder.</summary>
    internal StepHandle Own(StepHandle step, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(step))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(step, paramName);
        if (!ReferenceEquals(step.Builder, this))
        {
            throw new ArgumentException(
                $"The step '{step.Id}' was declared on the builder of process '{step.Builder.Id}', not on this one (process '{_id}'). Use handles returned by the same ProcessBuilder.",
                paramName);
        }

        return step;
    }

    /// <summary>Refuses a role handle that is <see langword="null"/> or was declared on another builder.</summary>
    internal RoleHandle Own(RoleHandle role, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(role))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(role, paramName);
        if (!ReferenceEquals(role.Builder, this))
        {
            throw new ArgumentException(
                $"The role '{role.Id}' was declared on the builder of process '{role.Builder.Id}', not on this one (process '{_id}'). Use handles returned by the same ProcessBuilder.",
                paramName);
        }

        return role;
    }
}
