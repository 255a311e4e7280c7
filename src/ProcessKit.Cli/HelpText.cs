using System.Reflection;

namespace ProcessKit.Cli;

/// <summary>The help and usage texts of the tool.</summary>
internal static class HelpText
{
    public const string Main = """
        processkit: validate, draw and run ProcessKit process definitions (JSON).

        Usage:
          processkit validate FILE... [--max-bytes N] [-q|--quiet]
          processkit diagram FILE [-f|--format mermaid|svg] [-o|--output OUT] [--direction LR|TD|RL|BT] [--highlight STEP[,STEP...]] [--max-bytes N]
          processkit schema
          processkit run DEFINITION -s|--script SCRIPT [--stub-handlers] [--max-bytes N]
          processkit simulate DEFINITION [--staff ROLE=N]... [--arrivals PER_HOUR | --arrivals-file FILE] [-n|--count N] [--seed S] [-f|--format table|json] [--stub-handlers] [--max-bytes N]
          processkit --help | --version
          processkit COMMAND --help

        Commands:
          validate   Check definition files; print every problem found.
          diagram    Draw a valid definition as a Mermaid flowchart or an SVG image.
          schema     Print the JSON Schema of the definition format.
          run        Run one instance on fake time against a script of actions and
                     expectations; print its final state and history as JSON.
          simulate   Run many instances with simulated staff on simulated time; print
                     cost, duration, satisfaction, breaches and utilization.

        Problems are printed one per line as
          FILE:LINE:COL: error|warning: POINTER: message (hint)
        where POINTER is the JSON pointer of the problem ('/' is the whole document) and
        1:1 stands for a problem without a position. A file over the size limit is
        refused before it is read, with one such line at '/'. A file that cannot be read
        at all (missing, a directory, unreadable) gives one line
          FILE: error: message

        Exit codes:
          0    every file is valid (warnings allowed); the command succeeded
          1    a file is invalid, missing, unreadable or too large, an output could not
               be written, a script's action or expectation failed, or an unexpected
               error occurred
          2    usage error: unknown command or option, missing or bad argument
          130  cancelled (Ctrl+C)
        """;

    public const string Validate = """
        Usage: processkit validate FILE... [--max-bytes N] [-q|--quiet]

        Checks each definition file against the JSON Schema and every semantic rule.
        Prints each problem, a line "FILE: valid (17 steps)" for each valid file and a
        summary line ("2 files, 1 invalid, 3 errors, 1 warning") to standard output.
        Warnings alone do not make a file invalid.

        Options:
          --max-bytes N   The largest file accepted, in bytes (default 4194304, at most
                          1073741824). Larger files are refused before they are read.
          -q, --quiet     Print error lines only: no warnings, no "valid" lines, no
                          summary.
          -h, --help      Show this help.

        Exit codes: 0 every file valid, 1 any file invalid or unreadable, 2 usage error.
        """;

    public const string Diagram = """
        Usage: processkit diagram FILE [-f|--format mermaid|svg] [-o|--output OUT] [--direction LR|TD|RL|BT] [--highlight STEP[,STEP...]] [--max-bytes N]

        Draws a valid definition. The diagram goes to standard output, or to OUT with
        --output (missing folders are created, an existing file is replaced). Problems
        are printed to standard error, in the same form as 'validate'.

        Options:
          -f, --format F     The diagram format: mermaid (a Mermaid flowchart, the
                             default) or svg (a standalone SVG image, drawn left to
                             right; see docs/exports.md).
          -o, --output OUT   Write the diagram to OUT instead of standard output.
          --direction D      Mermaid only: LR (left to right, the default), TD, RL or BT.
          --highlight IDS    Step ids to mark as current; repeat or separate with commas.
          --max-bytes N      The largest file accepted, in bytes (default 4194304).
          -h, --help         Show this help.

        Exit codes: 0 drawn, 1 invalid or unreadable definition or output not written,
        2 usage error.
        """;

    public const string Schema = """
        Usage: processkit schema

        Prints the JSON Schema (draft 2020-12) that definition files follow, for
        editors and other tools: the published processkit.schema.json, unchanged.

        Exit codes: 0 printed, 2 usage error.
        """;

    public const string Run = """
        Usage: processkit run DEFINITION -s|--script SCRIPT [--stub-handlers] [--max-bytes N]

        Runs one instance of a valid definition on fake time against a script: start
        data, then actions in order (complete, claim, release or delegate a task as a
        user with roles; publish a message; advance time; cancel) and expectations
        (open tasks, active steps, state, end outcome, data, history events). The
        script format is described in docs/run-scripts.md.

        The final state, open tasks and history go to standard output as JSON, also
        when an action or expectation fails; the failure is one line on standard
        error: "SCRIPT: failed: POINTER: message", POINTER being the JSON pointer of
        the action or expectation in the script. An invalid script is one line
        "SCRIPT: error: POINTER: message".

        Automated steps call handlers the tool does not have. A script may give the
        data a handler returns under "handlers"; any other handler is an error unless
        --stub-handlers is given, which runs it as a no-op that returns no data.

        Options:
          -s, --script SCRIPT  The script (JSON). Required.
          --stub-handlers      Run unknown handlers as no-ops instead of failing.
          --max-bytes N        The largest definition or script accepted, in bytes
                               (default 4194304).
          -h, --help           Show this help.

        Exit codes: 0 the script ran and every expectation held, 1 an invalid
        definition or script, an unknown handler, or a failed action or expectation,
        2 usage error.
        """;

    public const string Simulate = """
        Usage: processkit simulate DEFINITION [--staff ROLE=N]... [--arrivals PER_HOUR | --arrivals-file FILE] [-n|--count N] [--seed S] [-f|--format table|json] [--stub-handlers] [--max-bytes N]

        Simulates many instances of a valid definition on the real engine, in memory
        and on simulated time, with simulated people in its roles: instances arrive,
        each task goes to a free person of its role (the oldest offered task first),
        who works on it for a random time around the step's workTime and completes it
        with a random outcome (all outcomes equally likely) and generated data; each
        message wait gets its message after a random delay. Then prints the report:
        instances and outcomes, cycle time (median, 90th percentile), work and wait
        time, cost per instance, satisfaction, deadline breaches, the steps where
        instances wait longest and how busy each role was. The same arguments and
        seed give the same report, byte for byte. Details: docs/simulation.md.

        Options:
          --staff ROLE=N        People in a role (its id or name); repeat, or separate
                                with commas (--staff cook=3,waiter=2). Roles not named
                                have 1 person; 0 leaves the role's tasks undone.
          --arrivals PER_HOUR   Instances arrive at random at this mean rate per hour
                                (default 10).
          --arrivals-file FILE  Instances arrive at these times instead: one offset from
                                the start per line (PT1H30M or 01:30:00); blank lines
                                and lines starting with # are skipped. With --count,
                                only the first N lines are used.
          -n, --count N         How many instances arrive (default 100, at most
                                10000000).
          --seed S              The seed of every random draw (default 1).
          -f, --format F        table (the default) or json.
          --stub-handlers       Run the definition's handlers as stubs that write a
                                generated value for each field they must write,
                                instead of failing.
          --max-bytes N         The largest definition or arrivals file accepted, in
                                bytes (default 4194304).
          -h, --help            Show this help.

        When standard error is a terminal, a progress bar is drawn there during long
        runs.

        Exit codes: 0 simulated, 1 an invalid or unreadable definition or arrivals
        file, a handler the tool does not have, or a simulated step the engine
        refused, 2 usage error (unknown role, a count or rate out of range, ...).
        """;

    /// <summary>The help text of <paramref name="command"/>, or the tool's.</summary>
    public static string For(string? command) => command switch
    {
        "validate" => Validate,
        "diagram" => Diagram,
        "schema" => Schema,
        "run" => Run,
        "simulate" => Simulate,
        _ => Main,
    };

    /// <summary>The short usage line(s) shown after a usage error.</summary>
    public static string UsageLines(string? command)
    {
        var help = For(command);
        var start = help.IndexOf("Usage:", StringComparison.Ordinal);
        var end = help.IndexOf("\n\n", start, StringComparison.Ordinal);
        return help[start..(end < 0 ? help.Length : end)];
    }

    /// <summary>The tool's version, without build metadata (for example <c>0.1.0</c>).</summary>
    public static string Version()
    {
        var assembly = typeof(HelpText).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
