package dev.viewfold.wiring;

import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.ObjectStores;
import dev.viewfold.store.VectorTable;
import dev.viewfold.store.dynamodb.DynamoDbVectorTable;
import dev.viewfold.store.dynamodb.VectorFormat;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.s3.S3ObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Chooses the storage adapters from {@code viewfold.store}: local (folder + SQLite) or aws. */
@ApplicationScoped
public class StorageWiring {

    private static final Logger LOG = Logger.getLogger(StorageWiring.class);

    @Produces
    @Singleton
    VectorTable vectorTable(ViewfoldConfig config, Instance<DynamoDbClient> dynamoDb,
                            Instance<dev.viewfold.search.s3vectors.VectorIndexWriter> index) {
        VectorTable table = table(config, dynamoDb);
        if (config.search().backend() == ViewfoldConfig.SearchBackendKind.S3VECTORS) {
            LOG.infof("search backend: S3 Vectors bucket %s, indexes %s-*", config.search().s3vectors().bucket().orElse("?"),
                    config.search().s3vectors().indexPrefix());
            return new dev.viewfold.search.s3vectors.IndexedVectorTable(table, index.get());
        }
        return table;
    }

    private static VectorTable table(ViewfoldConfig config, Instance<DynamoDbClient> dynamoDb) {
        if (config.store() == ViewfoldConfig.StoreKind.AWS) {
            VectorFormat format = config.aws().tableVectors() == ViewfoldConfig.TableVectors.FLOAT32
                    ? VectorFormat.FLOAT32 : VectorFormat.FLOAT16;
            var table = new DynamoDbVectorTable(dynamoDb.get(), config.aws().imageTable(),
                    config.aws().observationTable(), format);
            if (config.aws().createTables()) {
                table.createTablesIfMissing();
            }
            LOG.infof("vector table: DynamoDB %s / %s, %s vectors", config.aws().imageTable(),
                    config.aws().observationTable(), format.name().toLowerCase(java.util.Locale.ROOT));
            return table;
        }
        var table = new SqliteVectorTable(config.data());
        LOG.infof("vector table: %s", table.file());
        return table;
    }

    void close(@Disposes VectorTable table) {
        if (table instanceof dev.viewfold.search.s3vectors.IndexedVectorTable indexed) {
            table = indexed.unwrapped();
        }
        if (table instanceof SqliteVectorTable sqlite) {
            sqlite.close();
        }
    }

    @Produces
    @Singleton
    ObjectStores objectStores(ViewfoldConfig config, Instance<S3Client> s3) {
        if (config.store() == ViewfoldConfig.StoreKind.AWS) {
            return new ObjectStores() {
                @Override
                public ObjectStore bucket(String name) {
                    return new S3ObjectStore(s3.get(), name);
                }

                @Override
                public ObjectStore uploads() {
                    return bucket(config.aws().bucket());
                }
            };
        }
        // Locally a bucket is a folder under the data folder, so S3-shaped events work unchanged.
        return new ObjectStores() {
            @Override
            public ObjectStore bucket(String name) {
                return new LocalObjectStore(config.data().resolve("buckets").resolve(name));
            }

            @Override
            public ObjectStore uploads() {
                return bucket(config.aws().bucket());
            }
        };
    }
}
