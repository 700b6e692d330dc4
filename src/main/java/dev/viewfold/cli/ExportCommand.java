package dev.viewfold.cli;

import dev.viewfold.search.Export;
import dev.viewfold.search.SearchService;
import dev.viewfold.search.SearchServices;
import dev.viewfold.search.Target;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code export <dir> [--target observations|images] [--space s]}: the vectors and rows of a space, for numpy and pandas. */
@Dependent
class ExportCommand implements Command {

    static final String SYNOPSIS = "export <dir> [--target observations|images] [--space s]";
    static final String DOES = "write <dir>/vectors.npy and <dir>/rows.csv (numpy, pandas, faiss) of the model's"
            + " space or a head's";

    /** @param space null: the model's */
    record Options(Path dir, Target target, String space) {
        static Options parse(List<String> args) {
            Args a = Args.parse("export", args, Set.of("--target", "--space"), Set.of());
            String target = a.option("--target");
            return new Options(Path.of(a.positional(1, "one output folder").get(0)),
                    target == null ? Target.OBSERVATIONS : Target.parse(target), a.option("--space"));
        }
    }

    @Inject
    EncoderLoader loader;

    @Inject
    SearchServices services;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(args);
        loader.encoder();
        SearchService service = services.of(o.space());
        Export.Written w = Export.write(service.backend(), o.target(), o.dir());
        out.printf("export: %d %s × %d dimensions -> %s, %s%n", w.count(), o.target().wire(), w.dimension(),
                w.vectors(), w.rows());
        return 0;
    }
}
