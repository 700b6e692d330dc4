package dev.viewfold.store.sqlite;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.Labels;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStamps;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.TableStats;
import dev.viewfold.store.VectorBytes;
import dev.viewfold.store.VectorTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedded vector table: one SQLite file in the data folder. One connection, serialised,
 * because SQLite has a single writer anyway; WAL lets a second process read while we write.
 */
public final class SqliteVectorTable implements VectorTable, AutoCloseable {

    public static final String FILE_NAME = "viewfold.db";

    private static final String IMAGE_COLUMNS =
            "image_id, space, observation_id, view_id, status, error, content_hash, vector, created_at, updated_at, sequencer,"
            + " labels";
    private static final String OBSERVATION_COLUMNS = "observation_id, space, status, error, vector, strategy,"
            + " views, dispersion, explanation, input_version, cluster_id, map_x, map_y, updated_at,"
            + " cluster_probability, outlier_score, cluster_run, labels";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Connection db;

    public SqliteVectorTable(Path dataFolder) {
        this.file = dataFolder.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataFolder);
            // A data source, not DriverManager: the driver registry is per class loader, and
            // Quarkus (tests, dev mode) reloads classes.
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(10_000);
            SQLiteDataSource source = new SQLiteDataSource(config);
            source.setUrl("jdbc:sqlite:" + file);
            db = source.getConnection();
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS image_rows ("
                        + "image_id TEXT NOT NULL, space TEXT NOT NULL, observation_id TEXT NOT NULL, view_id TEXT,"
                        + " status TEXT NOT NULL, error TEXT, content_hash TEXT, vector BLOB,"
                        + " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, sequencer TEXT,"
                        + " PRIMARY KEY (space, image_id)) WITHOUT ROWID");
                addColumnIfMissing(s, "image_rows", "sequencer", "TEXT");
                addColumnIfMissing(s, "image_rows", "labels", "TEXT");
                s.execute("CREATE INDEX IF NOT EXISTS image_rows_by_observation ON image_rows(space, observation_id)");
                // A search index catches up by reading what changed since its last look.
                s.execute("CREATE INDEX IF NOT EXISTS image_rows_by_update ON image_rows(space, updated_at)");
                dropEmptyPre04ObservationTable(s);
                s.execute("CREATE TABLE IF NOT EXISTS observation_rows ("
                        + "observation_id TEXT NOT NULL, space TEXT NOT NULL, status TEXT NOT NULL, error TEXT,"
                        + " vector BLOB, strategy TEXT, views TEXT NOT NULL, dispersion REAL NOT NULL,"
                        + " explanation TEXT, input_version INTEGER NOT NULL,"
                        + " cluster_id TEXT, map_x REAL, map_y REAL, updated_at INTEGER NOT NULL,"
                        + " PRIMARY KEY (space, observation_id)) WITHOUT ROWID");
                addColumnIfMissing(s, "observation_rows", "cluster_probability", "REAL");
                addColumnIfMissing(s, "observation_rows", "outlier_score", "REAL");
                addColumnIfMissing(s, "observation_rows", "cluster_run", "TEXT");
                addColumnIfMissing(s, "observation_rows", "labels", "TEXT");
                s.execute("CREATE INDEX IF NOT EXISTS observation_rows_by_update ON observation_rows(space, updated_at)");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the vector table " + file + ": " + e.getMessage(), e);
        }
    }

    private static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equals(rs.getString("name"))) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    /**
     * Files written before folds existed have an observation table without {@code input_version};
     * nothing ever wrote to it then, so it is rebuilt.
     */
    private static void dropEmptyPre04ObservationTable(Statement s) throws SQLException {
        boolean exists = false;
        boolean current = false;
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(observation_rows)")) {
            while (rs.next()) {
                exists = true;
                current |= "input_version".equals(rs.getString("name"));
            }
        }
        if (exists && !current) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM observation_rows")) {
                if (rs.next() && rs.getLong(1) > 0) {
                    throw new SQLException("observation_rows has an old layout and holds rows; move the file aside");
                }
            }
            s.execute("DROP TABLE observation_rows");
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<ImageRow> findImage(String space, String imageId) {
        return queryImages("SELECT " + IMAGE_COLUMNS + " FROM image_rows WHERE space = ? AND image_id = ?",
                space, imageId).stream().findFirst();
    }

    @Override
    public synchronized List<ImageRow> putImages(List<ImageRow> rows) {
        List<ImageRow> written = new ArrayList<>(rows.size());
        // A row from an older S3 event (smaller sequencer) never replaces one from a newer event.
        String sql = "INSERT INTO image_rows (" + IMAGE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (space, image_id) DO UPDATE SET observation_id = excluded.observation_id,"
                + " view_id = excluded.view_id, status = excluded.status, error = excluded.error,"
                + " content_hash = excluded.content_hash, vector = excluded.vector, updated_at = excluded.updated_at,"
                + " sequencer = excluded.sequencer, labels = excluded.labels"
                + " WHERE excluded.sequencer IS NULL OR image_rows.sequencer IS NULL"
                + " OR excluded.sequencer >= image_rows.sequencer";
        inTransaction("write image rows", () -> {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                for (ImageRow r : rows) {
                    ps.setString(1, r.imageId());
                    ps.setString(2, r.space());
                    ps.setString(3, r.observationId());
                    ps.setString(4, r.viewId());
                    ps.setString(5, r.status().wire());
                    ps.setString(6, r.error());
                    ps.setString(7, r.contentHash());
                    setBlob(ps, 8, r.vector());
                    ps.setLong(9, r.createdAt().toEpochMilli());
                    ps.setLong(10, r.updatedAt().toEpochMilli());
                    ps.setString(11, r.sequencer());
                    ps.setString(12, Labels.join(r.labels()));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 0) { // 0: the WHERE kept a row from a newer event
                        written.add(rows.get(i));
                    }
                }
            }
        });
        return written;
    }

    @Override
    public synchronized List<ImageRow> imagesOfObservation(String space, String observationId) {
        return queryImages("SELECT " + IMAGE_COLUMNS + " FROM image_rows WHERE space = ? AND observation_id = ?"
                + " ORDER BY image_id", space, observationId);
    }

    @Override
    public synchronized void forEachImageSince(String space, Instant since, Consumer<ImageRow> visitor) {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT " + IMAGE_COLUMNS + " FROM image_rows WHERE space = ? AND updated_at >= ?")) {
            ps.setString(1, space);
            ps.setLong(2, since.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    visitor.accept(imageRow(rs));
                }
            }
        } catch (SQLException e) {
            throw failure("read image rows", e);
        }
    }

    @Override
    public synchronized void forEachObservationSince(String space, Instant since, Consumer<ObservationRow> visitor) {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT " + OBSERVATION_COLUMNS + " FROM observation_rows WHERE space = ? AND updated_at >= ?")) {
            ps.setString(1, space);
            ps.setLong(2, since.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    visitor.accept(observationRow(rs));
                }
            }
        } catch (SQLException e) {
            throw failure("read observation rows", e);
        }
    }

    @Override
    public synchronized Optional<ObservationRow> findObservation(String space, String observationId) {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + OBSERVATION_COLUMNS
                + " FROM observation_rows WHERE space = ? AND observation_id = ?")) {
            ps.setString(1, space);
            ps.setString(2, observationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(observationRow(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read observation " + observationId, e);
        }
    }

    @Override
    public synchronized void putObservation(ObservationRow r) {
        writeObservation("INSERT OR REPLACE INTO observation_rows (" + OBSERVATION_COLUMNS + ")"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", r);
    }

    @Override
    public synchronized boolean putFold(ObservationRow r) {
        // The WHERE of the upsert is the version check: SQLite skips the update (0 rows changed)
        // when the stored fold read a newer set of views.
        return writeObservation("INSERT INTO observation_rows (" + OBSERVATION_COLUMNS + ")"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (space, observation_id) DO UPDATE SET status = excluded.status,"
                + " error = excluded.error, vector = excluded.vector, strategy = excluded.strategy,"
                + " views = excluded.views, dispersion = excluded.dispersion, explanation = excluded.explanation,"
                + " input_version = excluded.input_version, updated_at = excluded.updated_at,"
                + " labels = excluded.labels"
                + " WHERE excluded.input_version >= observation_rows.input_version", r) == 1;
    }

    private int writeObservation(String sql, ObservationRow r) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, r.observationId());
            ps.setString(2, r.space());
            ps.setString(3, r.status().wire());
            ps.setString(4, r.error());
            setBlob(ps, 5, r.vector());
            ps.setString(6, r.strategy());
            ps.setString(7, viewsJson(r.views()));
            ps.setDouble(8, r.dispersion());
            ps.setString(9, r.explanation());
            ps.setLong(10, r.inputVersion());
            ObservationRow.Placement p = r.placement();
            ps.setString(11, p == null ? null : p.clusterId());
            setFloat(ps, 12, p == null ? null : p.x());
            setFloat(ps, 13, p == null ? null : p.y());
            ps.setLong(14, r.updatedAt().toEpochMilli());
            if (p == null) {
                ps.setNull(15, Types.REAL);
                ps.setNull(16, Types.REAL);
                ps.setNull(17, Types.VARCHAR);
            } else {
                ps.setDouble(15, p.probability());
                ps.setDouble(16, p.outlierScore());
                ps.setString(17, p.run());
            }
            ps.setString(18, Labels.join(r.labels()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write observation " + r.observationId(), e);
        }
    }

    @Override
    public synchronized int putPlacements(String space, Map<String, ObservationRow.Placement> placements, Instant now) {
        String sql = "UPDATE observation_rows SET cluster_id = ?, cluster_probability = ?, outlier_score = ?,"
                + " map_x = ?, map_y = ?, cluster_run = ?, updated_at = ? WHERE space = ? AND observation_id = ?";
        int[] updated = {0};
        inTransaction("write cluster placements", () -> {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                for (Map.Entry<String, ObservationRow.Placement> e : placements.entrySet()) {
                    ObservationRow.Placement p = e.getValue();
                    ps.setString(1, p.clusterId());
                    ps.setDouble(2, p.probability());
                    ps.setDouble(3, p.outlierScore());
                    ps.setFloat(4, p.x());
                    ps.setFloat(5, p.y());
                    ps.setString(6, p.run());
                    ps.setLong(7, now.toEpochMilli());
                    ps.setString(8, space);
                    ps.setString(9, e.getKey());
                    updated[0] += ps.executeUpdate();
                }
            }
        });
        return updated[0];
    }

    @Override
    public synchronized boolean deleteImageIfUnchanged(String space, String imageId, Instant updatedAt) {
        try (PreparedStatement ps = db.prepareStatement(
                "DELETE FROM image_rows WHERE space = ? AND image_id = ? AND updated_at = ?")) {
            ps.setString(1, space);
            ps.setString(2, imageId);
            ps.setLong(3, updatedAt.toEpochMilli());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("delete image " + imageId, e);
        }
    }

    @Override
    public synchronized void deleteImage(String space, String imageId) {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM image_rows WHERE space = ? AND image_id = ?")) {
            ps.setString(1, space);
            ps.setString(2, imageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("delete image " + imageId, e);
        }
    }

    @Override
    public synchronized TableStats stats(String space) {
        String sql = "SELECT"
                + " (SELECT count(*) FROM image_rows WHERE space = ?1 AND status = 'ok'),"
                + " (SELECT count(*) FROM image_rows WHERE space = ?1 AND status = 'failed'),"
                + " (SELECT count(DISTINCT observation_id) FROM image_rows WHERE space = ?1 AND status = 'ok')";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, space);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new TableStats(space, rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw failure("count rows", e);
        }
    }

    @Override
    public synchronized void forEachImageStamp(String space, Consumer<RowStamps.Image> visitor) {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT image_id, observation_id, status, updated_at, labels FROM image_rows WHERE space = ?")) {
            ps.setString(1, space);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    visitor.accept(new RowStamps.Image(rs.getString(1), rs.getString(2),
                            RowStatus.fromWire(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                            Labels.parse(rs.getString(5))));
                }
            }
        } catch (SQLException e) {
            throw failure("read image rows", e);
        }
    }

    @Override
    public synchronized void forEachFoldStamp(String space, Consumer<RowStamps.Fold> visitor) {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT observation_id, status, input_version, views, labels, strategy FROM observation_rows"
                        + " WHERE space = ?")) {
            ps.setString(1, space);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.util.Set<String> ids = new java.util.HashSet<>();
                    List<ObservationRow.ViewScore> views = views(rs.getString(4));
                    views.forEach(v -> ids.add(v.imageId()));
                    visitor.accept(new RowStamps.Fold(rs.getString(1), RowStatus.fromWire(rs.getString(2)),
                            rs.getLong(3), ids, Labels.parse(rs.getString(5)), rs.getString(6),
                            RowStamps.Fold.kept(views)));
                }
            }
        } catch (SQLException e) {
            throw failure("read observation rows", e);
        }
    }

    /** SQLite's own check of the file: {@code ok}, or what it found wrong. */
    public synchronized String integrity() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : "; ").append(rs.getString(1));
            }
            return out.toString();
        } catch (SQLException e) {
            throw failure("check its integrity", e);
        }
    }

    /** Every space that has rows, for tools that list what the table holds. */
    public synchronized List<String> spaces() {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT space FROM image_rows ORDER BY space")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failure("list spaces", e);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }

    private List<ImageRow> queryImages(String sql, String... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<ImageRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(imageRow(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("read image rows", e);
        }
    }

    private static ImageRow imageRow(ResultSet rs) throws SQLException {
        byte[] blob = rs.getBytes(8);
        return new ImageRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                RowStatus.fromWire(rs.getString(5)), rs.getString(6), rs.getString(7),
                blob == null ? null : VectorBytes.decode(blob),
                Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10)), rs.getString(11),
                Labels.parse(rs.getString(12)));
    }

    private static ObservationRow observationRow(ResultSet rs) throws SQLException {
        byte[] blob = rs.getBytes(5);
        String run = rs.getString(17);
        ObservationRow.Placement placement = run == null ? null : new ObservationRow.Placement(rs.getString(11),
                rs.getDouble(15), rs.getDouble(16), rs.getFloat(12), rs.getFloat(13), run);
        return new ObservationRow(rs.getString(1), rs.getString(2), RowStatus.fromWire(rs.getString(3)),
                rs.getString(4), blob == null ? null : VectorBytes.decode(blob), rs.getString(6),
                views(rs.getString(7)), rs.getDouble(8), rs.getString(9), rs.getLong(10),
                Labels.parse(rs.getString(18)), placement, Instant.ofEpochMilli(rs.getLong(14)));
    }

    /**
     * Views as a JSON array of {@code [imageId, viewId, agreement, outlier]}, with
     * {@code likelyHome, likelyHomeScore} after them when the view has one: compact, no reflection,
     * and rows written before homes existed read as they are.
     */
    private static String viewsJson(List<ObservationRow.ViewScore> views) {
        ArrayNode array = JSON.createArrayNode();
        for (ObservationRow.ViewScore v : views) {
            ArrayNode a = array.addArray().add(v.imageId()).add(v.viewId()).add(v.agreement()).add(v.outlier());
            if (v.likelyHome() != null) {
                a.add(v.likelyHome()).add(v.likelyHomeScore());
            }
        }
        return array.toString();
    }

    private static List<ObservationRow.ViewScore> views(String json) throws SQLException {
        try {
            List<ObservationRow.ViewScore> out = new ArrayList<>();
            for (JsonNode v : JSON.readTree(json)) {
                boolean home = v.size() >= 6 && !v.get(4).isNull();
                out.add(new ObservationRow.ViewScore(v.get(0).asText(), v.get(1).isNull() ? null : v.get(1).asText(),
                        (float) v.get(2).asDouble(), v.get(3).asBoolean(), home ? v.get(4).asText() : null,
                        home && !v.get(5).isNull() ? (float) v.get(5).asDouble() : null));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new SQLException("unreadable views column: " + e.getMessage(), e);
        }
    }

    private static void setBlob(PreparedStatement ps, int i, float[] v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BLOB);
        } else {
            ps.setBytes(i, VectorBytes.encode(v));
        }
    }

    private static void setFloat(PreparedStatement ps, int i, Float f) throws SQLException {
        if (f == null) {
            ps.setNull(i, Types.REAL);
        } else {
            ps.setFloat(i, f);
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private void inTransaction(String what, SqlWork work) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("vector table " + file + ": cannot " + what + ": " + e.getMessage(), e);
    }
}
