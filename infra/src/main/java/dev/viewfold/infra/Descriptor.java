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
     * {@code observationTable}, {@code queue}.
     */
    public record Access(String resource, String prefix, List<String> actions, String why) {
    }

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
        }
        if (d.lambda() == null && d.container() == null) {
            throw new IllegalArgumentException(file + ": neither a lambda nor a container section");
        }
        return d;
    }
}
