package dev.viewfold.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.check.CheckRun;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code check [--json]}: repairs what a crash or a full disk left half derived. */
@Dependent
class CheckCommand implements Command {

    static final String SYNOPSIS = "check [--json]";
    static final String DOES = "find folds that miss rows written before a crash, a full disk or a lost event, and"
            + " head spaces missing rows, and make them whole (ingest, watch and serve do it when they start)";

    @Inject
    CheckRun check;

    @Inject
    ObjectMapper json;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("check", args, Set.of(), Set.of("--json"));
        a.positional(0, "only --json");
        CheckRun.Report r = check.run();
        if (a.flag("--json")) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return 0;
        }
        for (CheckRun.SpaceReport s : r.spaces()) {
            out.printf(Locale.ROOT, "check: %s: %d folds made again%s%n", s.space(), s.refolded().size(),
                    s.rowsReprojected() > 0 ? ", " + s.rowsReprojected() + " rows projected again" : "");
        }
        out.printf(Locale.ROOT, "check: done in %.1f s%n", r.seconds());
        return 0;
    }
}
