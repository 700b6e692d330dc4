package dev.viewfold.heads;

import dev.viewfold.space.Space;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.VectorTable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps head spaces in step with ingest: rows written to a base space are projected into every head
 * trained on it, then both changes go on to whoever folds observations. The list of heads is read
 * from the bucket at most once per {@code refresh}, so a head trained elsewhere is followed within
 * it; one listed by this process is followed from its next row on.
 */
public final class HeadProjector implements Consumer<RowsChanged> {

    private record Known(List<Space> spaces, Instant readAt, long saves) {
    }

    private final VectorTable table;
    private final HeadStore heads;
    private final Clock clock;
    private final Duration refresh;
    private final Consumer<RowsChanged> downstream;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public HeadProjector(VectorTable table, HeadStore heads, Clock clock, Duration refresh,
                         Consumer<RowsChanged> downstream) {
        this.table = table;
        this.heads = heads;
        this.clock = clock;
        this.refresh = refresh;
        this.downstream = downstream;
    }

    @Override
    public void accept(RowsChanged changed) {
        downstream.accept(changed);
        Set<String> bases = new TreeSet<>();
        changed.written().forEach(r -> bases.add(r.space()));
        changed.removed().forEach(r -> bases.add(r.space()));
        for (String base : bases) {
            Space space = Space.parse(base);
            if (space.isHead()) {
                continue;
            }
            RowsChanged ofBase = new RowsChanged(
                    changed.written().stream().filter(r -> r.space().equals(base)).toList(),
                    changed.removed().stream().filter(r -> r.space().equals(base)).toList());
            for (Space headSpace : headsOf(space)) {
                RowsChanged projected = Reprojection.changes(table, ofBase, headSpace.id(), heads.head(headSpace),
                        clock.instant());
                if (!projected.isEmpty()) {
                    downstream.accept(projected);
                }
            }
        }
    }

    private List<Space> headsOf(Space base) {
        Instant now = clock.instant();
        long saves = heads.saves();
        Known k = known.get(base.id());
        if (k == null || k.saves != saves || k.readAt.plus(refresh).isBefore(now)) {
            k = new Known(heads.spacesOf(base), now, saves);
            known.put(base.id(), k);
        }
        return k.spaces;
    }
}
