package dev.viewfold.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * One command of the main job. A command parses its arguments into its own options record, calls
 * the services the functions call, and prints; its output on stdout is the interface, progress and
 * problems go to stderr.
 */
interface Command {

    /**
     * @return the exit code: 0 done (some images may have failed: their rows say why), 1 the data
     *     cannot answer yet or something broke
     * @throws UsageException when the command line is wrong (exit 2)
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws IOException;
}
