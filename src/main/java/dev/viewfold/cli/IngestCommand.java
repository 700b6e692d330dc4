package dev.viewfold.cli;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.check.CheckRun;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.EncodeSummary;
import dev.viewfold.encode.Encoder;
import dev.viewfold.events.BatchRunner;
import dev.viewfold.events.FolderScan;
import dev.viewfold.events.IngestManifest;
import dev.viewfold.store.local.LocalObjectStore;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code ingest <dir> [--manifest <csv>]}: encodes every image under a folder, or those a manifest lists. */
@Dependent
class IngestCommand implements Command {

    static final String SYNOPSIS = "ingest <dir> [--manifest <csv>]";
    static final String DOES = "encode every image under <dir>, or those the manifest lists (CSV: path, optionally"
            + " observation_id, view, label)";
    private static final int MAX_FAILURES_LISTED = 20;

    /** @param manifest null: every image under the folder */
    record Options(Path dir, Path manifest) {
        static Options parse(List<String> args) {
            Args a = Args.parse("ingest", args, Set.of("--manifest"), Set.of());
            Path dir = Args.folder(a.positional(1, "one folder").get(0));
            String manifest = a.option("--manifest");
            return new Options(dir, manifest == null ? null : Args.file(manifest, "manifest"));
        }
    }

    @Inject
    ViewfoldConfig config;

    @Inject
    EncoderLoader loader;

    @Inject
    CheckRun check;

    @Inject
    Aggregator aggregator;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        ingest(Options.parse(args), out, err);
        return 0;
    }

    /** What an earlier run left half derived (a crash, a full disk) is made whole before anything new. */
    private void repair(PrintStream err) {
        CheckRun.Report r = check.run();
        if (r.refolded() > 0 || r.reprojected() > 0) {
            err.printf("ingest: made %d folds whole again (and %d head rows) that an earlier run left stale%n",
                    r.refolded(), r.reprojected());
        }
    }

    /**
     * Each observation was folded as its views landed, when the observations ingested after it did
     * not exist yet; a view filed under the wrong observation can only be matched to one that
     * exists. So every observation this run wrote views of is folded once more, now that the whole
     * batch is in (one fold each, against thousands of encodes).
     */
    private void foldAgainstTheWholeBatch(String space, Set<String> observations, PrintStream err) {
        if (observations.isEmpty() || config.aggregate().trigger() != ViewfoldConfig.AggregateTrigger.IN_PROCESS
                || !config.aggregate().collectionEvidence()) {
            return;
        }
        long start = System.nanoTime();
        int moved = 0;
        for (String observation : observations) {
            var row = aggregator.refold(space, observation, null).row();
            moved += (int) row.views().stream().filter(v -> v.likelyHome() != null).count();
        }
        err.printf(Locale.ROOT, "ingest: folded the %d observations again against the whole batch in %.1f s;"
                + " %d views look like they belong to another observation%n", observations.size(),
                (System.nanoTime() - start) / 1e9, moved);
    }

    void ingest(Options o, PrintStream out, PrintStream err) throws IOException {
        Encoder enc = loader.encoder();
        repair(err);
        LocalObjectStore store = new LocalObjectStore(o.dir());
        List<EncodeRequest> requests = o.manifest() != null ? IngestManifest.read(o.manifest()) : FolderScan.scan(store);
        err.printf("ingest: %d images from %s into space %s%n", requests.size(), store.root(), enc.space());
        if (o.manifest() != null) {
            Set<String> listed = new HashSet<>();
            requests.forEach(r -> listed.add(Path.of(r.key()).normalize().toString()));
            long unlisted = FolderScan.scan(store).stream()
                    .filter(r -> !listed.contains(Path.of(r.key()).normalize().toString())).count();
            if (unlisted > 0) {
                err.printf("ingest: %d %s under %s not in the manifest, left alone%n", unlisted,
                        unlisted == 1 ? "image" : "images", store.root());
            }
        }
        ProgressLine progress = new ProgressLine(err, requests.size());
        List<EncodeOutcome> problems = new ArrayList<>();
        Set<String> written = new java.util.LinkedHashSet<>();
        EncodeSummary summary = new BatchRunner(enc, config.encode().batch()).run(store, requests, (s, outcomes) -> {
            outcomes.stream().filter(x -> x.kind() == EncodeOutcome.Kind.FAILED || x.kind() == EncodeOutcome.Kind.MISSING)
                    .forEach(problems::add);
            outcomes.stream().filter(x -> x.kind() == EncodeOutcome.Kind.ENCODED).forEach(x -> written.add(x.observationId()));
            progress.update(s);
        });
        for (int i = 0; i < Math.min(MAX_FAILURES_LISTED, problems.size()); i++) {
            EncodeOutcome p = problems.get(i);
            err.printf("  %s %s: %s%n", p.kind().name().toLowerCase(Locale.ROOT), p.imageId(), p.reason());
        }
        if (problems.size() > MAX_FAILURES_LISTED) {
            err.printf("  ... and %d more (stats and the failed rows have them all)%n", problems.size() - MAX_FAILURES_LISTED);
        }
        double seconds = progress.seconds();
        out.printf(Locale.ROOT, "ingest: %d encoded, %d unchanged%s, %d failed%s, %d observations in %.1f s (%.0f images/s), space %s%n",
                summary.encoded(), summary.unchanged(),
                summary.relabelled() > 0 ? ", " + summary.relabelled() + " relabelled" : "", summary.failed(),
                summary.missing() > 0 ? ", " + summary.missing() + " missing" : "",
                summary.observations(), seconds, summary.total() / Math.max(seconds, 1e-3), enc.space());
        foldAgainstTheWholeBatch(enc.space(), written, err);
    }
}
