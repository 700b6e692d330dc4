package dev.viewfold.testing;

import dev.viewfold.encode.Encoder;
import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpace;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.store.sqlite.SqliteVectorTable;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An encoder on the embedded default (SQLite in a folder), built by hand for plain unit tests. */
public final class LocalEncoding implements AutoCloseable {

    public final OnnxEmbeddingModel model;
    public final SqliteVectorTable table;
    public final Encoder encoder;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    public LocalEncoding(ModelSpec spec, Path data) {
        model = new OnnxEmbeddingModel(spec);
        table = new SqliteVectorTable(data);
        encoder = new Encoder(model, ModelSpace.of(spec), table, new ImageDecoder(50_000_000), pool,
                64L << 20, Clock.systemUTC());
    }

    @Override
    public void close() {
        pool.shutdownNow();
        table.close();
        model.close();
    }
}
