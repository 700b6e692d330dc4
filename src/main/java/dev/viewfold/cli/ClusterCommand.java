package dev.viewfold.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.cluster.ClusterRun;
import dev.viewfold.cluster.RunSummary;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ObjectStores;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code cluster [--space s] [--refit] [--json]}: re-clusters a space, keeps cluster ids stable, writes the map. */
@Dependent
class ClusterCommand implements Command {

    static final String SYNOPSIS = "cluster [--space s] [--refit] [--json]";
    static final String DOES = "re-cluster all observations (UMAP + HDBSCAN), keep cluster ids stable, write the"
            + " map under maps/ in the uploads bucket (serve shows the model space's at /map/)";

    /** @param space null: the model's */
    record Options(String space, boolean refit, boolean json) {
        static Options parse(List<String> args) {
            Args a = Args.parse("cluster", args, Set.of("--space"), Set.of("--refit", "--json"));
            a.positional(0, "only --space, --refit and --json");
            return new Options(a.option("--space"), a.flag("--refit"), a.flag("--json"));
        }
    }

    @Inject
    Spaces spaces;

    @Inject
    Instance<ClusterRun> clusterRun;

    @Inject
    ObjectStores stores;

    @Inject
    ObjectMapper json;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(args);
        Space space = spaces.require(o.space());
        err.printf("cluster: re-clustering the observations of space %s ...%n", space);
        RunSummary s = clusterRun.get().run(space.id(), ClusterRun.eachStage(stage -> err.printf("cluster: %s%n", stage)),
                o.refit());
        if (o.json()) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            return 0;
        }
        var c = s.changes();
        out.printf(Locale.ROOT, "cluster: %d observations, %d clusters, %.1f%% noise, in %.1f s (run %s)%n",
                s.observations(), s.clusters(), 100 * s.noiseFraction(), s.seconds(), s.run());
        if (s.keptFraction() == null) {
            out.printf(Locale.ROOT, "cluster: first run: all %d observations are new; %d clusters born%n",
                    c.newObservations(), c.births().size());
        } else {
            out.printf(Locale.ROOT, "cluster: ids kept for %.1f%% of placed observations (%d moved, %d into noise, %d"
                            + " out of noise, %d new); %d clusters born, %d gone, %d splits, %d merges%n",
                    100 * s.keptFraction(), c.moved(), c.intoNoise(), c.outOfNoise(), c.newObservations(),
                    c.births().size(), c.deaths().size(), c.splits().size(), c.merges().size());
        }
        s.warnings().forEach(w -> out.println("cluster: warning: " + w));
        out.printf("cluster: map %s%s%n", stores.uploads().uri(s.map()),
                space.isHead() ? "" : " (or: serve, then open /map/)"); // /map/ serves the model space's
        return 0;
    }
}
