using ProcessKit.Definitions;

namespace ProcessKit.Testing.Simulation;

/// <summary>
/// Simulates many instances of a process on the real engine, in memory and on simulated time, with
/// simulated people in its roles, and reports its cost, duration and satisfaction.
/// </summary>
/// <remarks>
/// <para>Thread-safe: each run has its own engine, store and clock. Nothing sleeps; a run takes as long as the engine needs for its commands.</para>
/// <para>
/// A discrete-event loop: instances arrive (<see cref="SimulationOptions.ArrivalsPerHour"/> or
/// <see cref="SimulationOptions.ArrivalTimes"/>) and are started with
/// <see cref="SimulationOptions.StartData"/>. Each task the engine opens is offered to the
/// simulated people of its role (<c>cook-1</c>, <c>cook-2</c>, ...; round-robin and shortest-queue
/// allocations choose among them), or to the person it is assigned to. A free person claims the
/// oldest task offered to them (see <see cref="SimulationOptions.TaskOrder"/>), works on it for a
/// time drawn from <see cref="SimulationOptions.WorkTimes"/>, and completes it with an outcome drawn
/// from <see cref="SimulationOptions.OutcomeWeights"/> and generated data. A message wait gets its
/// message after a drawn delay (<see cref="SimulationOptions.MessageDelays"/>), or never
/// (<see cref="SimulationOptions.NoMessageProbability"/>). The engine's own timers (timer steps,
/// timeouts, deadlines, escalations) fire when the clock reaches them. The clock jumps from one
/// event to the next; at the same moment, the engine's timers go first, then the simulation's events
/// in the order they were scheduled.
/// </para>
/// <para>
/// Generated values (task data, message payloads, start data, stubbed handlers) cover the fields a
/// step declares as required, and the process's satisfaction field when the step writes it: a
/// number is a whole number from its minimum to its maximum, each equally likely (1 to 100 without
/// bounds; two decimals when a bound is not whole); a boolean is true or false, equally likely; a
/// date-time is 1 to 7 whole days after the current simulated time; a duration one hour; an object
/// empty; a list has 1 to 3 text items; a text is the field name and the arrival number
/// (<c>leadId-17</c>), or one of the simulated people when a task's allocation names the field as its
/// assignee.
/// </para>
/// <para>
/// Every random number is drawn from the seed and what it is for (the arrival, the step, the run of
/// the step within the instance), not from the order of events: the same options and seed give the
/// same report, and runs that differ only in staff see the same guests, orders and work times.
/// </para>
/// <para>
/// The report is computed by <see cref="Analytics.ProcessAnalytics"/> from every instance's history.
/// Every instance is kept in memory until the run ends (about as much as the in-memory store keeps
/// per instance).
/// </para>
/// </remarks>
public static class ProcessSimulator
{
    /// <summary>Runs a simulation.</summary>
    /// <param name="options">What to simulate; checked first.</param>
    /// <param name="cancellationToken">Stops the run between events.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">An option is out of range or names a role, step, outcome or message the process does not have.</exception>
    /// <exception cref="DefinitionException">The definition is not valid.</exception>
    /// <exception cref="InvalidCommandException">The definition names a handler that is not registered and stubs are off, or generated start data does not fit the process's inputs.</exception>
    /// <exception cref="InvalidOperationException">A simulated completion or message was refused by the engine (its data does not fit the step): the message names the step and how to give the data.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static async ValueTask<SimulationReport> RunAsync(SimulationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var run = await SimulationRun.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        return await run.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
