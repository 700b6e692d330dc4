package dev.viewfold.wiring;

import dev.viewfold.heads.HeadProjector;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.encode.Encoder;
import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpace;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.store.VectorTable;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds the model spec, the model and the encoder from configuration. */
@ApplicationScoped
public class EncodeWiring {


    @Produces
    @Singleton
    ModelSpec modelSpec(ViewfoldConfig config) {
        ViewfoldConfig.Model m = config.model();
        int size = m.size();
        java.nio.file.Path folder = m.path().toAbsolutePath().getParent();
        String defaultName = folder == null || folder.getFileName() == null ? "model" : folder.getFileName().toString();
        return new ModelSpec(m.path(), m.name().orElse(defaultName), m.input(), m.output(), size,
                m.resize().orElse(Math.round(size * 256f / 224f)),
                m.channels(), m.layout(),
                m.scale(), floats(m.mean()), floats(m.std()),
                m.pooling(), m.resizeMode());
    }

    /** The configured model's space, and the spaces of the heads trained on it. */
    @Produces
    @Singleton
    Spaces spaces(ModelSpec spec, HeadStore heads) {
        return new Spaces(Space.ofModel(ModelSpace.of(spec)), heads::spacesOf, heads::unlisted);
    }

    @Produces
    @Singleton
    OnnxEmbeddingModel model(ModelSpec spec, ViewfoldConfig config) {
        ViewfoldConfig.Model m = config.model();
        return new OnnxEmbeddingModel(spec, new OnnxEmbeddingModel.Options(m.batch(), m.threads(),
                m.device(), m.gpuFallback()));
    }

    void close(@Disposes OnnxEmbeddingModel model) {
        model.close();
    }

    @Produces
    @Singleton
    Encoder encoder(OnnxEmbeddingModel model, Spaces spaces, VectorTable table, ViewfoldConfig config,
                    Aggregator aggregator, ModelSpec spec, HeadStore heads) {
        ViewfoldConfig.Encode e = config.encode();
        int threads = e.decodeThreads() > 0 ? e.decodeThreads() : Runtime.getRuntime().availableProcessors();
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "viewfold-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        String turbo = e.turbojpegJar();
        ImageDecoder decoder = new ImageDecoder(e.maxPixels(), spec.resize(),
                turbo.isBlank() || turbo.equals("none") ? null : java.nio.file.Path.of(turbo),
                (long) e.decodeBudgetMib() << 20);
        // New rows reach every trained head's space too, then are folded (here, or by the table's stream).
        var projector = new HeadProjector(table, heads, Clock.systemUTC(), config.groups().headsRefresh(),
                AggregateWiring.foldAfter(config, aggregator));
        return new Encoder(model, spaces.model().id(), table, decoder, pool, e.maxBytes(), Clock.systemUTC(), projector);
    }

    /** A missing or wrong model stops start-up here, with the message that names the file. */
    void loadModelAtStart(@Observes StartupEvent event, ViewfoldConfig config, Instance<OnnxEmbeddingModel> model) {
        if (config.encode().loadAtStart()) {
            model.get().dimension();
        }
    }

    private static float[] floats(java.util.List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
