package dev.viewfold.wiring;

import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.encode.Encoder;
import dev.viewfold.search.ImageLinks;
import dev.viewfold.search.IndexCatalog;
import dev.viewfold.search.SearchIndex;
import dev.viewfold.search.SearchService;
import dev.viewfold.store.ObjectStores;
import dev.viewfold.store.VectorTable;
import dev.viewfold.store.s3.PresignedLinks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Clock;

/** The search index catalog and service of the configured model's space. */
@ApplicationScoped
public class SearchWiring {

    @Produces
    @Singleton
    IndexCatalog catalog(ViewfoldConfig config, VectorTable table, ObjectStores stores, Encoder encoder) {
        ViewfoldConfig.Search s = config.search();
        return new IndexCatalog(table, s.snapshots() ? stores.uploads() : null, encoder.space(), encoder::dimension,
                new SearchIndex.Settings(s.graphThreshold(), s.m(), s.efConstruction(), s.efSearch(), 42),
                s.refresh(), s.reconcile(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    ImageLinks links(ViewfoldConfig config, Instance<S3Presigner> presigner) {
        return config.store() == ViewfoldConfig.StoreKind.AWS
                ? new PresignedLinks(presigner.get(), config.search().linkTtl())
                : ImageLinks.AS_IS;
    }

    @Produces
    @Singleton
    SearchService service(IndexCatalog catalog, Encoder encoder, ObjectStores stores, FoldStrategies strategies,
                          ImageLinks links) {
        return new SearchService(catalog, encoder::embed, stores.uploads(), encoder.maxBytes(), strategies, links);
    }
}
