package dev.viewfold.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.check.CheckRun;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code stats}: the table's counts for the model's space, as JSON. */
@Dependent
class StatsCommand implements Command {

    static final String SYNOPSIS = "stats";
    static final String DOES = "print the vector table's counts for the model's space as JSON, with the folds pending"
            + " repair";

    @Inject
    CheckRun check;

    @Inject
    ObjectMapper json;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args.parse("stats", args, Set.of(), Set.of()).positional(0, "no arguments");
        out.println(json.writeValueAsString(check.stats()));
        return 0;
    }
}
