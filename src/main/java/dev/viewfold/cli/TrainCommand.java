package dev.viewfold.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.heads.HeadReport;
import dev.viewfold.heads.TrainOptions;
import dev.viewfold.heads.TrainRun;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStores;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code train [options]}: learns a projection head (or fits a whitening head) and fills its space. */
@Dependent
class TrainCommand implements Command {

    static final String SYNOPSIS = "train [--head linear|mlp] [--dim n] [--loss triplet|contrastive]"
            + " [--mining batch-hard|semi-hard] [--epochs n] [--seed n] [--examples observations|images]"
            + " [--catch-up seconds] [--json]\n"
            + "train --head whiten [--shrink s] [--catch-up seconds] [--json]";
    static final String DOES = "learn a projection head on the labelled observations, or (whiten) fit one on the views"
            + " of each observation with no labels; its space (<model space>+head@<digest>) gets every row, projected;"
            + " then wait and project what ingest elsewhere wrote meanwhile (default: heads-refresh + 5 s on AWS, 0 on"
            + " the embedded store)";

    /** @param catchUp null: the deployment's default */
    record Options(TrainOptions train, Duration catchUp, boolean json) {
        static Options parse(List<String> args) {
            Args a = Args.parse("train", args, Set.of("--head", "--dim", "--loss", "--mining", "--epochs", "--seed",
                    "--examples", "--catch-up", "--shrink"), Set.of("--json"));
            a.positional(0, "only options");
            Integer seed = a.integer("--seed");
            TrainOptions t = new TrainOptions(a.option("--head"), a.integer("--dim"), null, a.option("--loss"),
                    a.option("--mining"), null, null, null, null, null, a.integer("--epochs"), null, null,
                    seed == null ? null : seed.longValue(), a.option("--examples"), a.decimal("--shrink"));
            Integer catchUp = a.integer("--catch-up");
            if (catchUp != null && catchUp < 0) {
                throw new UsageException("--catch-up takes seconds to wait (0 for none), not " + catchUp);
            }
            return new Options(t, catchUp == null ? null : Duration.ofSeconds(catchUp), a.flag("--json"));
        }
    }

    @Inject
    ViewfoldConfig config;

    @Inject
    Spaces spaces;

    @Inject
    Instance<TrainRun> trainRun;

    @Inject
    ObjectStores stores;

    @Inject
    ObjectMapper json;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(args);
        Duration catchUp = o.catchUp() == null ? config.trainCatchUp() : o.catchUp();
        TrainRun.Outcome outcome = trainRun.get().run(spaces.model(), o.train(), catchUp,
                line -> err.printf("train: %s%n", line));
        HeadReport r = outcome.report();
        if (o.json()) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return 0;
        }
        if (r.whitening()) {
            out.printf(Locale.ROOT, "train: whitening head %s (%d-d) from %d views of %d observations, %d flagged views"
                    + " left out%n", r.head(), outcome.head().outputDim(), r.views(), r.observations(),
                    r.flaggedViewsLeftOut());
            if (r.validationHead() != null) {
                out.printf(Locale.ROOT, "train: %d held-out observations, a view finding its observation's other views:"
                        + " MAP@R %.4f raw -> %.4f whitened; Recall@1 %.4f -> %.4f%n", r.validationObservations(),
                        r.validationRaw().mapAtR(), r.validationHead().mapAtR(), r.validationRaw().recallAt1(),
                        r.validationHead().recallAt1());
            }
        } else {
            out.printf(Locale.ROOT, "train: head %s (%s %s, %d-d), best epoch %d of %d; %d train groups, %d validation"
                    + " groups%n", r.head(), r.settings().head(), r.settings().loss(), outcome.head().outputDim(),
                    r.bestEpoch(), r.curve().size() - 1, r.trainGroups().size(), r.validationGroups().size());
            out.printf(Locale.ROOT, "train: unseen validation groups, MAP@R %.4f raw -> %.4f with the head; Recall@1"
                    + " %.4f -> %.4f%n", r.validationRaw().mapAtR(), r.validationHead().mapAtR(),
                    r.validationRaw().recallAt1(), r.validationHead().recallAt1());
        }
        if (r.warning() != null) {
            out.println("train: warning: " + r.warning());
        }
        if (r.catchUp() != null && r.catchUp().warning() != null) {
            out.println("train: warning: " + r.catchUp().warning());
        }
        String caughtUp = r.catchUp() != null && r.catchUp().images() != null
                ? " (then " + r.catchUp().images() + " written meanwhile)" : "";
        out.printf("train: space %s: %d images%s and %d observations projected, report %s%n", r.space(),
                r.imagesProjected(), caughtUp, r.observationsProjected(),
                stores.uploads().uri(BucketLayout.headReport(r.baseSpace(), r.head())));
        return 0;
    }
}
