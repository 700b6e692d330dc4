package dev.viewfold.check;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.heads.Reprojection;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The repair pass: whatever a crash, a full disk or a dead-lettered event left half done between
 * writing rows and deriving from them, made whole again. Each head's space is brought level with
 * the model's (rows projected again, rows of deleted images removed), then every space's stale
 * folds are made again. Run by {@code check}, at the start of {@code ingest}, {@code watch} and
 * {@code serve}, and before each scheduled cluster run on AWS. Cheap when there is nothing to do: it
 * reads the rows' stamps, not their vectors.
 */
public final class CheckRun {

    private static final Logger LOG = Logger.getLogger(CheckRun.class);

    /**
     * What the pass found and mended in one space.
     *
     * @param indexItemsMended search index items put again or removed (an index outside the table only)
     */
    public record SpaceReport(String space, int rowsReprojected, List<String> refolded, int indexItemsMended) {
    }

    /** What the pass did, space by space, and how long it took. */
    public record Report(List<SpaceReport> spaces, double seconds) {

        public int refolded() {
            return spaces.stream().mapToInt(s -> s.refolded().size()).sum();
        }

        public int reprojected() {
            return spaces.stream().mapToInt(SpaceReport::rowsReprojected).sum();
        }
    }

    private final VectorTable table;
    private final Spaces spaces;
    private final HeadStore heads;
    private final Aggregator aggregator;
    private final Clock clock;
    private final IndexRepair index;

    public CheckRun(VectorTable table, Spaces spaces, HeadStore heads, Aggregator aggregator, Clock clock) {
        this(table, spaces, heads, aggregator, clock, IndexRepair.NONE);
    }

    public CheckRun(VectorTable table, Spaces spaces, HeadStore heads, Aggregator aggregator, Clock clock,
                    IndexRepair index) {
        this.index = index;
        this.table = table;
        this.spaces = spaces;
        this.heads = heads;
        this.aggregator = aggregator;
        this.clock = clock;
    }

    /**
     * The model space's counts, and how many of its folds are stale now (pending the next repair).
     *
     * @param pendingFolds observations whose fold does not reflect their image rows yet
     */
    public record Stats(String space, long images, long failed, long observations, int pendingFolds) {
    }

    public Stats stats() {
        String space = spaces.model().id();
        var counts = table.stats(space);
        return new Stats(space, counts.images(), counts.failed(), counts.observations(),
                dev.viewfold.aggregate.StaleFolds.of(table, space).size());
    }

    public Report run() {
        return run(false);
    }

    /**
     * @param full also compare an outside search index with the table item by item (every row read:
     *             for {@code check --full}, not for every start)
     */
    public Report run(boolean full) {
        long started = System.nanoTime();
        List<SpaceReport> reports = new ArrayList<>();
        int pendingMended = index.pending();
        if (pendingMended > 0) {
            LOG.infof("check: %d search index writes that had failed made again", pendingMended);
        }
        for (Space space : spaces.all()) {
            int reprojected = 0;
            if (space.isHead()) {
                // Folded below, with the rest of the space's stale folds: nothing to hand on here.
                reprojected = Reprojection.repair(table, space.base().id(), space.id(), heads.head(space),
                        clock.instant(), (RowsChanged changed) -> { });
            }
            List<String> refolded = aggregator.repair(space.id());
            int mended = full ? index.full(space.id()) : 0;
            if (reports.isEmpty()) {
                mended += pendingMended; // counted once, with the model's space
            }
            reports.add(new SpaceReport(space.id(), reprojected, refolded, mended));
            if (reprojected > 0) {
                LOG.infof("check: %d rows projected again into %s", reprojected, space);
            }
        }
        return new Report(reports, (System.nanoTime() - started) / 1e9);
    }
}
