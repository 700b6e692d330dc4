package dev.viewfold.testing;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.encode.Encoder;
import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpace;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.store.sqlite.SqliteVectorTable;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An encoder on the embedded default (SQLite in a folder), built by hand for plain unit tests. */
public final class LocalEncoding implements AutoCloseable {

    public final OnnxEmbeddingModel model;
    public final SqliteVectorTable table;
    public final Encoder encoder;
    /** Folds observations in process after every write, as the local default does. */
    public final Aggregator aggregator;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    public LocalEncoding(ModelSpec spec, Path data) {
        model = new OnnxEmbeddingModel(spec);
        table = new SqliteVectorTable(data);
        aggregator = new Aggregator(table, new FoldStrategies(List.of(new MeanStrategy(), new RobustStrategy(2, 0.1)),
                "robust"), Clock.systemUTC());
        encoder = new Encoder(model, ModelSpace.of(spec), table, new ImageDecoder(50_000_000), pool,
                64L << 20, Clock.systemUTC(), aggregator::afterRowsChanged);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        table.close();
        model.close();
    }
}
