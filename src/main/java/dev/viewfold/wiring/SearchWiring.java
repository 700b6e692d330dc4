package dev.viewfold.wiring;

import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.encode.Encoder;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.search.ImageLinks;
import dev.viewfold.search.QueryEncoder;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchService;
import dev.viewfold.search.SearchServices;
import dev.viewfold.search.memory.MemoryBackend;
import dev.viewfold.search.memory.SearchIndex;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ObjectStores;
import dev.viewfold.store.VectorTable;
import dev.viewfold.store.s3.PresignedLinks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Clock;
import java.util.function.IntSupplier;

/** The search service of each space: its backend (chosen by configuration) and its query encoder. */
@ApplicationScoped
public class SearchWiring {

    @Produces
    @Singleton
    ImageLinks links(ViewfoldConfig config, Instance<S3Presigner> presigner) {
        return config.store() == ViewfoldConfig.StoreKind.AWS
                ? new PresignedLinks(presigner.get(), config.search().linkTtl())
                : ImageLinks.AS_IS;
    }

    /** The model's space, and on demand the space of any head trained on it. */
    @Produces
    @Singleton
    SearchServices services(Spaces spaces, ViewfoldConfig config, VectorTable table, ObjectStores stores,
                            Encoder encoder, HeadStore heads, FoldStrategies strategies, ImageLinks links,
                            Instance<dev.viewfold.search.s3vectors.VectorIndexWriter> index,
                            com.fasterxml.jackson.databind.ObjectMapper json) {
        return new SearchServices(spaces, space -> {
            QueryEncoder queries;
            IntSupplier dimension;
            if (space.isHead()) {
                ProjectionHead head = heads.head(space);
                queries = bytes -> head.project(encoder.embed(bytes));
                dimension = head::outputDim;
            } else {
                queries = encoder::embed;
                dimension = encoder::dimension;
            }
            SearchBackend backend = config.search().backend() == ViewfoldConfig.SearchBackendKind.S3VECTORS
                    ? new dev.viewfold.search.s3vectors.S3VectorsBackend(index.get().api(), index.get().names(), space.id(),
                            dimension, table, json)
                    : backend(config.search(), table, stores, space, dimension);
            return new SearchService(backend, queries, stores.uploads(), encoder.maxBytes(), strategies, links);
        });
    }

    /** One space's backend, built the same way for the model's space and every head's. */
    private static SearchBackend backend(ViewfoldConfig.Search s, VectorTable table, ObjectStores stores, Space space,
                                         IntSupplier dimension) {
        return new MemoryBackend(table, s.snapshots() ? stores.uploads() : null, space.id(), dimension,
                new SearchIndex.Settings(s.graphThreshold(), s.m(), s.efConstruction(), s.efSearch(), 42),
                s.refresh(), s.reconcile(), Clock.systemUTC());
    }
}
