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

    static final String SYNOPSIS = "check [--full] [--json]";
    static final String DOES = "find folds that miss rows written before a crash, a full disk or a lost event, and"
            + " head spaces missing rows, and make them whole (ingest, watch and serve do it when they start);"
            + " --full also compares an S3 Vectors search index with the table item by item";

    @Inject
    CheckRun check;

    @Inject
    ObjectMapper json;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("check", args, Set.of(), Set.of("--json", "--full"));
        a.positional(0, "only --full and --json");
        CheckRun.Report r = check.run(a.flag("--full"));
        if (a.flag("--json")) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return 0;
        }
        for (CheckRun.SpaceReport s : r.spaces()) {
            out.printf(Locale.ROOT, "check: %s: %d folds made again%s%s%n", s.space(), s.refolded().size(),
                    s.rowsReprojected() > 0 ? ", " + s.rowsReprojected() + " rows projected again" : "",
                    s.indexItemsMended() > 0 ? ", " + s.indexItemsMended() + " search index items mended" : "");
        }
        out.printf(Locale.ROOT, "check: done in %.1f s%n", r.seconds());
        return 0;
    }
}
