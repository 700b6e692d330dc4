package dev.viewfold.infra;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One deployable's {@code functions/<name>/function.json}: what it exports, what triggers it, how it
 * runs, and which actions on which of the stack's resources it needs. Unknown fields are an error, so
 * a typo in a descriptor stops the synth instead of being ignored.
 */
public record Descriptor(String name, String description, String status, Exports exports, String runtime,
                         String architecture, LambdaSpec lambda, ContainerSpec container, LargeSpec large,
                         int memoryMiB, int timeoutSeconds, Integer reservedConcurrency, Trigger trigger,
                         Map<String, String> environment, List<Access> access) {

    public record Exports(List<String> funqy, String command, List<String> routes) {
    }

    /** A Lambda package: the runtime and handler it is meant for, and where the build leaves it. */
    public record LambdaSpec(String runtime, String handler, String jvmHandler, String artifact, String build,
                             String jvmBuild, Boolean snapStart) {
    }

    /** A container on GPU instances. */
    public record ContainerSpec(String repository, String dockerfile, String build, List<String> command,
                                String modelPath, List<String> instanceTypes, int gpus, int cpu) {
    }

    /** The same work as an ECS task, for collections that outgrow a Lambda. */
    public record LargeSpec(String runtime, String launchType, String image, List<String> command, int cpu,
                            int memoryMiB, String when) {
    }

    /** What starts the function; the fields that apply depend on {@code type}. */
    public record Trigger(String type, List<String> events, String prefix, Integer maxReceiveCount, Scaling scaling,
                          String table, String startingPosition, Integer batchSize,
                          Integer maxBatchingWindowSeconds, Integer parallelizationFactor, Integer retryAttempts,
                          Integer maxRecordAgeHours, Boolean reportBatchItemFailures, String onFailure,
                          String expression, List<String> routes, String auth, Throttle throttle) {
    }

    public record Scaling(int min, int max, int backlogPerTask, int evaluationMinutes) {
    }

    public record Throttle(double rateLimit, int burstLimit) {
    }

    /**
     * Actions on one of the stack's resources: {@code bucket}, {@code objects} (with a key
     * {@code prefix}), {@code imageTable}, {@code imageTable/index/<name>}, {@code imageStream},
     * {@code observationTable}, {@code queue}, or {@code vectorIndexes} (with {@code targets}: the
     * vector indexes of the model space, see {@link #VECTOR_TARGETS}). {@code when} names the search
     * backend the grant belongs to ({@code memory} or {@code s3vectors}); without it the grant is
     * always made.
     */
    public record Access(String resource, String prefix, List<String> targets, List<String> actions, String when, String why) {

        /** Whether the grant is made when the stack searches with {@code searchBackend}. */
        public boolean appliesTo(String searchBackend) {
            return when == null || when.equals(searchBackend);
        }
    }

    /**
     * What a {@code vectorIndexes} grant may name, each resolved under the stack's index prefix:
     * {@code images} (every image shard), {@code observations}, {@code heads} (the indexes
     * {@code <prefix>-h<12 hex>-images|observations} that train creates for a head's space) and
     * {@code all} (every index of the prefix, heads' included).
     */
    public static final List<String> VECTOR_TARGETS = List.of("images", "observations", "heads", "all");

    /** The search backends a grant's {@code when} may name. */
    public static final List<String> SEARCH_BACKENDS = List.of("memory", "s3vectors");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Reads {@code <functionsDir>/<name>/function.json} and checks what the stack relies on. */
    public static Descriptor load(Path functionsDir, String name) {
        Path file = functionsDir.resolve(name).resolve("function.json");
        Descriptor d;
        try {
            d = JSON.readValue(Files.readString(file), Descriptor.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the descriptor " + file + ": " + e.getMessage(), e);
        }
        if (!name.equals(d.name())) {
            throw new IllegalArgumentException(file + " names itself '" + d.name() + "', expected '" + name + "'");
        }
        for (Access a : d.access()) {
            for (String action : a.actions()) {
                if (action.contains("*")) {
                    throw new IllegalArgumentException(file + ": wildcard action '" + action
                            + "'; name each action the function needs");
                }
            }
            checkVectorGrant(file, a);
        }
        if (d.lambda() == null && d.container() == null) {
            throw new IllegalArgumentException(file + ": neither a lambda nor a container section");
        }
        return d;
    }

    /** A vector grant names its indexes and its backend and holds S3 Vectors actions only; no other grant does. */
    private static void checkVectorGrant(Path file, Access a) {
        if (a.when() != null && !SEARCH_BACKENDS.contains(a.when())) {
            throw new IllegalArgumentException(file + ": 'when' must be one of " + SEARCH_BACKENDS + ", not '" + a.when() + "'");
        }
        boolean vectors = a.resource().equals("vectorIndexes");
        boolean vectorActions = a.actions().stream().anyMatch(x -> x.startsWith("s3vectors:"));
        if (!vectors) {
            if (a.targets() != null || vectorActions) {
                throw new IllegalArgumentException(file + ": 'targets' and s3vectors actions belong to a vectorIndexes grant: " + a);
            }
            return;
        }
        if (!"s3vectors".equals(a.when())) {
            throw new IllegalArgumentException(file + ": a vectorIndexes grant needs \"when\": \"s3vectors\": " + a);
        }
        if (a.targets() == null || a.targets().isEmpty() || !VECTOR_TARGETS.containsAll(a.targets())) {
            throw new IllegalArgumentException(file + ": a vectorIndexes grant names its targets from " + VECTOR_TARGETS + ": " + a);
        }
        if (a.prefix() != null || !a.actions().stream().allMatch(x -> x.startsWith("s3vectors:"))) {
            throw new IllegalArgumentException(file + ": a vectorIndexes grant has no prefix and only s3vectors actions: " + a);
        }
    }
}
