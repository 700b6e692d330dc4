package dev.viewfold.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.search.NearDuplicates;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchServices;
import dev.viewfold.search.Target;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code duplicates [--threshold t] [--target images|observations]}: near-duplicate groups as JSON lines. */
@Dependent
class DuplicatesCommand implements Command {

    static final String SYNOPSIS = "duplicates [--threshold t] [--target images|observations]";
    static final String DOES = "list near-duplicate groups as JSON lines, largest first";

    record Options(float threshold, Target target) {
        static Options parse(List<String> args, float defaultThreshold) {
            Args a = Args.parse("duplicates", args, Set.of("--threshold", "--target"), Set.of());
            a.positional(0, "only --threshold and --target");
            Double t = a.decimal("--threshold");
            if (t != null && !(t > 0 && t <= 1)) {
                throw new UsageException("--threshold is a cosine similarity above 0 and at most 1, e.g. 0.95");
            }
            String target = a.option("--target");
            return new Options(t == null ? defaultThreshold : t.floatValue(),
                    target == null ? Target.IMAGES : Target.parse(target));
        }
    }

    @Inject
    ViewfoldConfig config;

    @Inject
    EncoderLoader loader;

    @Inject
    SearchServices services;

    @Inject
    ObjectMapper json;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(args, config.search().duplicateThreshold());
        loader.encoder();
        SearchBackend backend = services.model().backend();
        int rows = backend.size(o.target());
        ProgressLine progress = new ProgressLine(err, rows);
        List<NearDuplicates.Group> groups = NearDuplicates.groups(backend, o.target(), o.threshold(), 10, progress::rows);
        for (NearDuplicates.Group g : groups) {
            out.println(json.writeValueAsString(g));
        }
        err.printf(Locale.ROOT, "duplicates: %d groups at cosine >= %s among %d rows%n", groups.size(), o.threshold(), rows);
        return 0;
    }
}
