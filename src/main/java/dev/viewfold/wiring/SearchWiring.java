package dev.viewfold.wiring;

import dev.viewfold.groups.HeadSpaces;
import dev.viewfold.groups.HeadStore;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.search.QueryException;
import dev.viewfold.search.SearchSpaces;
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
        return catalog(config.search(), table, stores, encoder.space(), encoder::dimension);
    }

    /** One space's index catalog, built the same way for the deployment's space and every head's. */
    private static IndexCatalog catalog(ViewfoldConfig.Search s, VectorTable table, ObjectStores stores, String space,
                                        java.util.function.IntSupplier dimension) {
        return new IndexCatalog(table, s.snapshots() ? stores.uploads() : null, space, dimension,
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

    /** The deployment's space, and on demand the space of any head trained on it. */
    @Produces
    @Singleton
    SearchSpaces spaces(SearchService base, ViewfoldConfig config, VectorTable table, ObjectStores stores,
                        Encoder encoder, HeadStore heads, FoldStrategies strategies, ImageLinks links) {
        return new SearchSpaces(base, space -> {
            if (!HeadSpaces.isHead(space) || !HeadSpaces.base(space).equals(encoder.space())) {
                throw QueryException.notFound("unknown space '" + space + "': this deployment searches "
                        + encoder.space() + " and the spaces of heads trained on it (" + heads.spacesOf(encoder.space())
                        + ")");
            }
            ProjectionHead head;
            try {
                head = heads.head(space);
            } catch (java.util.NoSuchElementException e) {
                throw QueryException.notFound(e.getMessage());
            }
            IndexCatalog catalog = catalog(config.search(), table, stores, space, head::outputDim);
            return new SearchService(catalog, bytes -> head.project(encoder.embed(bytes)), stores.uploads(),
                    encoder.maxBytes(), strategies, links);
        });
    }

    @Produces
    @Singleton
    SearchService service(IndexCatalog catalog, Encoder encoder, ObjectStores stores, FoldStrategies strategies,
                          ImageLinks links) {
        return new SearchService(catalog, encoder::embed, stores.uploads(), encoder.maxBytes(), strategies, links);
    }
}
