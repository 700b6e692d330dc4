package dev.viewfold.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.search.s3vectors.IndexNames;
import dev.viewfold.search.s3vectors.PendingIndexWrites;
import dev.viewfold.search.s3vectors.S3VectorsApi;
import dev.viewfold.search.s3vectors.VectorIndexWriter;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ObjectStores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.net.URI;

/**
 * The S3 Vectors client and index writer, built only with {@code viewfold.search.backend=s3vectors}
 * (nothing asks for them otherwise).
 */
@ApplicationScoped
public class S3VectorsWiring {

    @Produces
    @Singleton
    VectorIndexWriter indexWriter(ViewfoldConfig config, ObjectMapper json, ObjectStores stores,
                                  Instance<Spaces> spaces) {
        ViewfoldConfig.S3Vectors v = config.search().s3vectors();
        String bucket = v.bucket().orElseThrow(() -> new IllegalStateException(
                "viewfold.search.backend=s3vectors needs viewfold.search.s3vectors.bucket (VIEWFOLD_SEARCH_S3VECTORS_BUCKET)"));
        String region = config.aws().region().orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion().id());
        URI endpoint = v.endpoint().or(() -> config.aws().endpoint())
                .orElse(URI.create("https://s3vectors." + region + ".api.aws"));
        S3VectorsApi api = new S3VectorsApi(json, endpoint, region, DefaultCredentialsProvider.builder().build(), bucket,
                v.maxAttempts(), v.retryDelay());
        IndexNames names = new IndexNames(v.indexPrefix(), v.imageShards(), () -> spaces.get().model().id());
        return new VectorIndexWriter(api, names, new PendingIndexWrites(stores.uploads(), json));
    }
}
