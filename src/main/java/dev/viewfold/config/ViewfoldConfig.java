package dev.viewfold.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything Viewfold reads from configuration ({@code application.properties}, overridable by
 * environment: {@code viewfold.model.output} is {@code VIEWFOLD_MODEL_OUTPUT}).
 */
@ConfigMapping(prefix = "viewfold")
public interface ViewfoldConfig {

    /** Data folder of the embedded default: the SQLite vector table lives here. */
    @WithDefault("data")
    Path data();

    /** Which adapters to use: {@code local} (folder + SQLite) or {@code aws} (S3 + DynamoDB). */
    @WithDefault("local")
    StoreKind store();

    Model model();

    Encode encode();

    Aws aws();

    Aggregate aggregate();

    Search search();

    Cluster cluster();

    Groups groups();

    Http http();

    Jobs jobs();

    /** Long work over HTTP ({@code train}, {@code cluster}) runs as a job. */
    interface Jobs {
        /** A job still running after this long is stopped at its next step. */
        @WithDefault("30m")
        java.time.Duration timeLimit();
    }

    /** Who may talk to {@code serve}: a local server no web page may drive (as Jupyter and Ollama guard theirs). */
    interface Http {
        /**
         * Host names the server answers to (the {@code Host} header, port aside): loopback by default,
         * so a DNS-rebinding page is refused; {@code *} answers any (behind API Gateway on AWS).
         */
        @WithDefault("localhost,127.0.0.1,::1")
        List<String> allowedHosts();

        /**
         * Pages of other origins that may call the API ({@code https://app.example}); by default none,
         * so a page the user happens to open cannot post to it. The server's own pages always may.
         */
        Optional<List<String>> allowedOrigins();
    }

    /** The scheduled re-clustering (UMAP + HDBSCAN); defaults measured on COIL-100 (see README). */
    interface Cluster {
        /** Principal components before the neighbour search; 0 (default) searches the embeddings themselves. */
        @WithDefault("0")
        int pcaComponents();

        /** UMAP neighbours: how local the kept structure is. */
        @WithDefault("15")
        int neighbours();

        /** Dimensions HDBSCAN clusters in (the map is 2-d). */
        @WithDefault("5")
        int dimensions();

        /**
         * Fewest observations a cluster may hold; unset: half the square root of the number of
         * observations, within [5, 100] (see ClusterSettings.minClusterSizeFor).
         */
        Optional<Integer> minClusterSize();

        /**
         * HDBSCAN's core neighbourhood, counting the point itself: larger calls more observations
         * noise; unset: the cluster size, up to 30.
         */
        Optional<Integer> minSamples();

        /**
         * Start each run's layouts from the previous run's positions, so clusters move only where the
         * data did; a fit on a sample, when at least half of it was laid out before under the same
         * settings, holds those rows (unless their vectors changed) and moves only the others.
         */
        @WithDefault("true")
        boolean warmStart();

        /**
         * Above this many observations a run fits UMAP + HDBSCAN on a sample of this size and places
         * the rest by their nearest sample members, in segments (threads here, a Step Functions map on AWS).
         */
        @WithDefault("50000")
        int fitSample();

        /**
         * While the observations new, changed or removed since the last fit are at most this share of
         * those it fitted, a run places them among its clusters (every other id kept); beyond it, or
         * at 0, a run fits UMAP + HDBSCAN again.
         */
        @WithDefault("0.10")
        double refitAfter();

        /** Segments the placing of the rest is split into (locally: 0 = one per core). */
        @WithDefault("0")
        int segments();

        /** UMAP min_dist of the 2-d map. */
        @WithDefault("0.1")
        double mapMinDist();

        @WithDefault("42")
        long seed();

        /** Locally, {@code serve} re-clusters this often (for example 1h); unset: only on demand. */
        java.util.Optional<java.time.Duration> every();
    }

    interface Groups {
        /**
         * How classify places a query unless a request says: {@code auto} (whichever of the others
         * answers the held-out observations best), {@code linear}, {@code prototype} or {@code knn}.
         */
        @WithDefault("auto")
        dev.viewfold.classify.ClassifierKind classifier();

        /**
         * The linear classifier answers "none" for at most this share of its known groups' photos
         * (out of fold): it is calibrated so on them.
         */
        @WithDefault("0.02")
        double rejectShare();

        /** Neighbours that vote in kNN classification. */
        @WithDefault("10")
        int k();

        /** Share of each group's observations held out to calibrate its threshold. */
        @WithDefault("0.25")
        double heldOutFraction();

        /** Classifiers are rebuilt when labelled rows changed, looked at no more often than this. */
        @WithDefault("30s")
        java.time.Duration recheck();

        /** Ingest projects new rows into every trained head, reading the list of heads this often. */
        @WithDefault("60s")
        java.time.Duration headsRefresh();

        @WithDefault("42")
        long seed();
    }

    /**
     * How long a {@code train} command waits before catching up with ingest elsewhere. On AWS ingest
     * always runs in other processes (encode Lambdas, workers), which follow a new head within
     * {@code heads-refresh}; the embedded store is usually ingested by the same process, which
     * follows at once ({@code --catch-up} covers a separate {@code serve}).
     */
    default java.time.Duration trainCatchUp() {
        return store() == StoreKind.AWS ? groups().headsRefresh().plusSeconds(5) : java.time.Duration.ZERO;
    }

    interface Search {
        /** Rows from which an HNSW graph answers instead of the exact scan. */
        @WithDefault("20000")
        int graphThreshold();

        /** Graph links per node and level (twice that on the bottom level). */
        @WithDefault("16")
        int m();

        @WithDefault("100")
        int efConstruction();

        /** Beam width of a graph search (at least k): recall against speed. */
        @WithDefault("48")
        int efSearch();

        /** A search at least this long after the last look reads rows written since. */
        @WithDefault("1s")
        java.time.Duration refresh();

        /** How often the live count is checked against the table to notice deleted rows. */
        @WithDefault("60s")
        java.time.Duration reconcile();

        /** Largest k a request may ask for. */
        @WithDefault("1000")
        int maxK();

        /** Most images one request may send to be folded into one query. */
        @WithDefault("16")
        int maxImages();

        /** Load and write index snapshots under index/ in the uploads bucket. */
        @WithDefault("true")
        boolean snapshots();

        /** Cosine similarity from which two images count as near-duplicates (calibrated: see README). */
        @WithDefault("0.92")
        float duplicateThreshold();

        /** How long a presigned link to an S3 image stays valid. */
        @WithDefault("15m")
        java.time.Duration linkTtl();

        /** Where searches run: in this process (memory, the default) or in Amazon S3 Vectors. */
        @WithDefault("memory")
        SearchBackendKind backend();

        S3Vectors s3vectors();
    }

    enum SearchBackendKind { MEMORY, S3VECTORS }

    /** The s3vectors search backend (viewfold.search.backend=s3vectors). */
    interface S3Vectors {
        /** The vector bucket; required with this backend. */
        Optional<String> bucket();

        /** Index names start with it: {@code <prefix>-images}, {@code <prefix>-observations}, heads' {@code <prefix>-h…}. */
        @WithDefault("viewfold")
        String indexPrefix();

        /** Image indexes to spread the image rows over (by observation), past one index's 2,500 writes/s. */
        @WithDefault("1")
        int imageShards();

        /** The service's endpoint; default https://s3vectors.<region>.api.aws (a local server in tests). */
        Optional<java.net.URI> endpoint();

        /** Tries per call before a write is marked pending for the repair pass. */
        @WithDefault("6")
        int maxAttempts();

        /** The first retry's wait; each next doubles, up to 5 s, with jitter. */
        @WithDefault("100ms")
        java.time.Duration retryDelay();
    }

    enum StoreKind { LOCAL, AWS }

    /** How the DynamoDB tables store vectors (both are always read). */
    enum TableVectors { FLOAT16, FLOAT32 }

    /** When observations are refolded: in the process that wrote image rows, or by the stream's Lambda. */
    enum AggregateTrigger { IN_PROCESS, STREAM }

    interface Aggregate {
        /** Default strategy: mean, max, robust, kmeans, gmp, or sequence (with a sequence model). */
        @WithDefault("robust")
        String strategy();

        @WithDefault("in-process")
        AggregateTrigger trigger();

        /** robust: MADs above the observation's median distance to its consensus before a view can be a stray. */
        @WithDefault("2")
        double outlierMads();

        /**
         * robust, while a space has fewer than 10 folds to measure its spread from: least margin
         * above the median distance (cosine distance) before a view is an outlier.
         */
        @WithDefault("0.1")
        double outlierFloor();

        /** robust: spreads above the space's median view-to-fold distance from which a view is compared with other observations. */
        @WithDefault("0.5")
        double lookFrom();

        /** robust: spreads by which a view must be more like another observation's fold than its own to be moved there. */
        @WithDefault("0.5")
        double homeMargin();

        /** robust: spreads above the space's median view-to-fold distance past which a view belongs to nothing here. */
        @WithDefault("10")
        double straySpreads();

        /**
         * robust: weigh the rest of the space (its spread of view-to-fold distances, and the other
         * observations through the search index); false judges each observation by its own views.
         */
        @WithDefault("true")
        boolean collectionEvidence();

        /** How old a space's measured spread may get before a fold measures it again (one pass over the fold stamps). */
        @WithDefault("10m")
        java.time.Duration spreadRefresh();

        /** ONNX sequence model [1, T, D] → [1, D'] enabling the sequence strategy. */
        Optional<Path> sequenceModel();
    }

    /** How to run one ONNX image model; see {@code dev.viewfold.encode.ModelSpec}. */
    interface Model {
        Path path();

        /** Name of the embedding space; defaults to the model file's folder name. */
        Optional<String> name();

        /** Input to feed; defaults to the model's only input. */
        Optional<String> input();

        @WithDefault("embedding")
        String output();

        /** Side of the square crop fed to the model. */
        @WithDefault("224")
        int size();

        /** Shorter side after resizing, before the centre crop; defaults to size × 256/224. */
        OptionalInt resize();

        /** {@code shorter} (resize the shorter side, centre-crop) or {@code exact} (squeeze to size × size). */
        @WithDefault("shorter")
        dev.viewfold.encode.ModelSpec.ResizeMode resizeMode();

        @WithDefault("rgb")
        dev.viewfold.encode.ModelSpec.Channels channels();

        @WithDefault("nchw")
        dev.viewfold.encode.ModelSpec.Layout layout();

        /** Pixels are divided by this before mean/std: 255 maps them to [0,1]. */
        @WithDefault("255")
        float scale();

        @WithDefault("0.485,0.456,0.406")
        List<Float> mean();

        @WithDefault("0.229,0.224,0.225")
        List<Float> std();

        /**
         * Largest batch per model call (when the model's batch axis is dynamic). 32 measures best
         * end to end on CPU here, though the int8 model alone is faster at 1 (src/bench/RESULTS.md).
         */
        @WithDefault("32")
        int batch();

        /** {@code cpu}, or {@code gpu} (ONNX Runtime's CUDA provider: the -Pgpu build on a GPU host). */
        @WithDefault("cpu")
        dev.viewfold.encode.OnnxEmbeddingModel.Accelerator device();

        /** When a GPU is asked for but cannot be had: run on CPU instead of stopping. */
        @WithDefault("false")
        boolean gpuFallback();

        /** ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per core). */
        @WithDefault("0")
        int threads();

        /** How to turn the output into one vector: {@code none}, {@code flatten} or {@code average}. */
        @WithDefault("none")
        dev.viewfold.encode.ModelSpec.Pooling pooling();
    }

    interface Encode {
        /** Images with more pixels are refused before decoding (decompression bombs). */
        @WithDefault("50000000")
        long maxPixels();

        /** Objects larger than this many bytes are refused before reading. */
        @WithDefault("67108864")
        long maxBytes();

        /** Images decoded and written per batch. */
        @WithDefault("32")
        int batch();

        /** Decode threads; 0 means one per core. */
        @WithDefault("0")
        int decodeThreads();

        /**
         * Memory the pixels being decoded may take at once, in MiB, across the decode threads (and
         * queries): a decode that would pass it waits. Large non-JPEG images are read subsampled to
         * about four times the model's input, so one decode rarely takes more than a few MiB.
         */
        @WithDefault("256")
        int decodeBudgetMib();

        /**
         * TurboJPEG's Java binding (Debian's libturbojpeg-java, with libturbojpeg0-dev): JPEGs then
         * decode scaled down in the DCT; "none", or a jar that is not there, means ImageIO only.
         */
        @WithDefault("/usr/share/java/turbojpeg.jar")
        String turbojpegJar();

        /** Load and check the model when the application starts, so a bad model stops start-up. */
        @WithDefault("true")
        boolean loadAtStart();
    }

    interface Aws {
        Optional<String> region();

        /** Endpoint override for S3, DynamoDB and SQS alike (a local stand-in for AWS). */
        Optional<URI> endpoint();

        /** Endpoint override for S3 alone; wins over {@link #endpoint()}. */
        Optional<URI> s3Endpoint();

        Optional<URI> dynamodbEndpoint();

        Optional<URI> sqsEndpoint();

        /** Bucket that uploads land in. */
        @WithDefault("viewfold-images")
        String bucket();

        @WithDefault("viewfold-images")
        String imageTable();

        @WithDefault("viewfold-observations")
        String observationTable();

        /** Queue of S3 object-created notifications that the encode worker drains. */
        Optional<String> queueUrl();

        /** Create the tables at start when missing (local servers; the CDK stack owns them on AWS). */
        @WithDefault("false")
        boolean createTables();

        /**
         * float16 halves each row's write units at a cosine above 0.9999 to the exact vector;
         * float32 keeps the table bit for bit (the format of tables written before).
         */
        @WithDefault("float16")
        TableVectors tableVectors();
    }
}
