package dev.viewfold.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorTest {

    static final Path FUNCTIONS = Path.of("../functions");

    @Test
    void everyFunctionHasADescriptorTheStackCanRead() {
        for (String name : ViewfoldStack.FUNCTIONS) {
            Descriptor d = Descriptor.load(FUNCTIONS, name);
            assertEquals(name, d.name());
            assertTrue(d.memoryMiB() > 0 && d.timeoutSeconds() > 0, name);
            assertTrue(!d.access().isEmpty(), name + " declares what it may touch");
        }
        assertEquals("gpu-container", Descriptor.load(FUNCTIONS, "encode").runtime());
        assertEquals("worker", Descriptor.load(FUNCTIONS, "encode").exports().command());
        assertEquals("provided.al2023", Descriptor.load(FUNCTIONS, "aggregate").lambda().runtime());
        assertEquals("java21", Descriptor.load(FUNCTIONS, "search").lambda().runtime());
    }

    @Test
    void groupsIsSearchsKindOfFunctionWithItsOwnRoutesAndNoDeletes() {
        Descriptor search = Descriptor.load(FUNCTIONS, "search");
        Descriptor groups = Descriptor.load(FUNCTIONS, "groups");
        assertEquals(List.of("labels", "classify", "train"), groups.exports().funqy());
        assertEquals(List.of("POST /labels", "POST /classify", "POST /train"), groups.trigger().routes());
        assertEquals(groups.exports().routes(), groups.trigger().routes());
        assertEquals(search.lambda(), groups.lambda(), "the same package, handler and SnapStart as search");
        java.util.Map<String, String> environment = new java.util.HashMap<>(search.environment());
        environment.put("VIEWFOLD_AGGREGATE_TRIGGER", "stream");
        assertEquals(environment, groups.environment(),
                "search's, and the table's stream refolds what labels and train write (its role reads no single observation)");
        assertEquals(search.trigger().type(), groups.trigger().type());
        assertEquals(search.trigger().auth(), groups.trigger().auth());
        assertEquals(List.of("java", "-jar", "/app/quarkus-run.jar", "train"), groups.large().command());
        for (Descriptor.Access a : groups.access()) {
            assertTrue(a.why() != null && !a.why().isBlank(), "every grant says why: " + a);
            assertTrue(a.prefix() == null || !a.prefix().startsWith("maps/"), "groups leaves maps/ alone: " + a);
            assertTrue(a.actions().stream().noneMatch(x -> x.contains("Delete")), "groups deletes nothing: " + a);
        }
        for (String name : List.of("search", "cluster", "encode", "groups")) {
            assertTrue(Descriptor.load(FUNCTIONS, name).access().stream().anyMatch(a -> "heads/".equals(a.prefix())
                    && a.actions().contains("s3:GetObject")), name + " reads the trained heads");
        }
        for (String name : ViewfoldStack.FUNCTIONS) {
            for (Descriptor.Access a : Descriptor.load(FUNCTIONS, name).access()) {
                assertTrue(!"heads/".equals(a.prefix()) || name.equals("groups") || !a.actions().contains("s3:PutObject"),
                        "only train writes heads: " + name);
            }
        }
        // search and groups share one API and so one route table: no route twice
        Set<String> routes = new HashSet<>(search.trigger().routes());
        for (String r : groups.trigger().routes()) {
            assertTrue(routes.add(r), r + " is routed twice");
        }
    }

    @Test
    void aReadmeKeepsInStepWithItsDescriptor() throws IOException {
        for (String name : ViewfoldStack.FUNCTIONS) {
            Descriptor d = Descriptor.load(FUNCTIONS, name);
            String readme = Files.readString(FUNCTIONS.resolve(name).resolve("README.md"));
            assertTrue(readme.contains("function.json"), name + "/README.md points at its descriptor");
            assertTrue(readme.contains(d.memoryMiB() + " MiB"), name + "/README.md states the descriptor's memory, "
                    + d.memoryMiB() + " MiB");
        }
    }

    @Test
    void clusterRunsItsAssignSegmentsSideBySide() {
        Descriptor cluster = Descriptor.load(FUNCTIONS, "cluster");
        assertEquals(null, cluster.reservedConcurrency(), "Step Functions assigns segments in parallel; the run's lock is the application's");
        assertEquals("schedule", cluster.trigger().type());
    }

    @Test
    void vectorGrantsNameTheirIndexesAndBelongToTheS3VectorsBackend() {
        for (String name : ViewfoldStack.FUNCTIONS) {
            List<Descriptor.Access> vectors = Descriptor.load(FUNCTIONS, name).access().stream()
                    .filter(a -> a.resource().equals("vectorIndexes")).toList();
            assertTrue(!vectors.isEmpty(), name + " reads or writes vectors");
            for (Descriptor.Access a : vectors) {
                assertEquals("s3vectors", a.when(), name);
                assertTrue(a.why() != null && !a.why().isBlank(), "every grant says why: " + a);
            }
        }
        // search only reads, and reads every index of the prefix (heads' spaces included)
        for (Descriptor.Access a : Descriptor.load(FUNCTIONS, "search").access()) {
            if (a.resource().equals("vectorIndexes")) {
                assertEquals(List.of("all"), a.targets());
                assertEquals(Set.of("s3vectors:QueryVectors", "s3vectors:GetVectors", "s3vectors:ListVectors"), Set.copyOf(a.actions()));
            }
        }
    }

    @Test
    void aVectorGrantWithoutItsBackendOrWithAnUnknownIndexIsRefused(@TempDir Path dir) throws IOException {
        String grant = "{ \"resource\": \"vectorIndexes\", \"targets\": [\"observations\"], \"actions\": [\"s3vectors:PutVectors\"]";
        Map<String, String> refused = Map.of(
                grant + ", \"why\": \"x\" }", "needs \"when\"",
                grant.replace("observations", "everything") + ", \"when\": \"s3vectors\", \"why\": \"x\" }", "targets",
                grant.replace("vectorIndexes", "observationTable") + ", \"when\": \"s3vectors\", \"why\": \"x\" }", "belong to a vectorIndexes",
                grant + ", \"when\": \"opensearch\", \"why\": \"x\" }", "'when' must be");
        for (var e : refused.entrySet()) {
            aggregateWith(dir, "\"access\": [", "\"access\": [\n    " + e.getKey() + ",");
            var error = assertThrows(IllegalArgumentException.class, () -> Descriptor.load(dir, "aggregate"), e.getKey());
            assertTrue(error.getMessage().contains(e.getValue()), error.getMessage());
        }
    }

    @Test
    void aWildcardActionIsRefused(@TempDir Path dir) throws IOException {
        aggregateWith(dir, "\"dynamodb:Query\"", "\"dynamodb:*\"");
        var e = assertThrows(IllegalArgumentException.class, () -> Descriptor.load(dir, "aggregate"));
        assertTrue(e.getMessage().contains("wildcard action 'dynamodb:*'"), e.getMessage());
    }

    @Test
    void anUnknownFieldIsRefused(@TempDir Path dir) throws IOException {
        aggregateWith(dir, "\"memoryMiB\": 512", "\"memoryMiB\": 512, \"memoryMB\": 512");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> Descriptor.load(dir, "aggregate"));
        assertTrue(e.getMessage().contains("memoryMB"), e.getMessage());
    }

    /** The aggregate descriptor with one text replaced, written as the only function under {@code dir}. */
    private static void aggregateWith(Path dir, String from, String to) throws IOException {
        String json = Files.readString(FUNCTIONS.resolve("aggregate/function.json"));
        if (!json.contains(from)) {
            throw new IllegalStateException("aggregate/function.json no longer contains " + from);
        }
        Files.createDirectories(dir.resolve("aggregate"));
        Files.writeString(dir.resolve("aggregate/function.json"), json.replace(from, to));
    }
}
