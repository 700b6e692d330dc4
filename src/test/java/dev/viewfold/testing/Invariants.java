package dev.viewfold.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.StaleFolds;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.space.Space;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.RowStamps;
import dev.viewfold.store.sqlite.SqliteVectorTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What must hold of a store after any crash and the repair pass: the file is sound, no row twice,
 * every fold lists exactly its observation's usable views as they are now, every listed head's
 * space holds every row of its model space, and the latest map and summary read. Returns the
 * violations, in words (empty: all hold).
 */
public final class Invariants {

    private Invariants() {
    }

    public static List<String> violations(SqliteVectorTable table, ObjectStore bucket, HeadStore heads, Space model) {
        List<String> out = new ArrayList<>();
        String integrity = table.integrity();
        if (!integrity.equals("ok")) {
            out.add("integrity: " + integrity);
        }
        List<Space> spaces = new ArrayList<>(List.of(model));
        spaces.addAll(heads.spacesOf(model));
        Map<String, Map<String, RowStamps.Image>> rows = new HashMap<>();
        for (Space space : spaces) {
            Map<String, RowStamps.Image> byId = new HashMap<>();
            table.forEachImageStamp(space.id(), r -> {
                if (byId.put(r.imageId(), r) != null) {
                    out.add(space + ": row " + r.imageId() + " twice");
                }
            });
            rows.put(space.id(), byId);
            List<String> stale = StaleFolds.of(table, space.id());
            if (!stale.isEmpty()) {
                out.add(space + ": " + stale.size() + " folds do not list their observation's views: " + stale);
            }
        }
        Map<String, RowStamps.Image> base = rows.get(model.id());
        for (Space head : spaces.subList(1, spaces.size())) {
            Map<String, RowStamps.Image> projected = rows.get(head.id());
            base.forEach((id, r) -> {
                RowStamps.Image copy = projected.get(id);
                if (copy == null || copy.updatedAt().isBefore(r.updatedAt())) {
                    out.add(head + ": row " + id + (copy == null ? " missing" : " older than its model row"));
                }
            });
            projected.keySet().stream().filter(id -> !base.containsKey(id))
                    .forEach(id -> out.add(head + ": row " + id + " whose image is gone"));
        }
        for (String name : List.of("summary.json", "points.json")) {
            String key = BucketLayout.LATEST_MAP + name;
            try {
                if (bucket.exists(key)) {
                    new ObjectMapper().readTree(bucket.get(key, 64 << 20).bytes());
                }
            } catch (IOException e) {
                out.add(key + " does not read: " + e.getMessage());
            }
        }
        return out;
    }

}
