package dev.viewfold.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    void aWildcardActionIsRefused(@TempDir Path dir) throws IOException {
        String json = Files.readString(FUNCTIONS.resolve("aggregate/function.json"))
                .replace("\"dynamodb:Query\"", "\"dynamodb:*\"");
        Files.createDirectories(dir.resolve("aggregate"));
        Files.writeString(dir.resolve("aggregate/function.json"), json);
        var e = assertThrows(IllegalArgumentException.class, () -> Descriptor.load(dir, "aggregate"));
        assertTrue(e.getMessage().contains("wildcard action 'dynamodb:*'"), e.getMessage());
    }

    @Test
    void anUnknownFieldIsRefused(@TempDir Path dir) throws IOException {
        String json = Files.readString(FUNCTIONS.resolve("aggregate/function.json"))
                .replace("\"memoryMiB\": 512", "\"memoryMiB\": 512, \"memoryMB\": 512");
        Files.createDirectories(dir.resolve("aggregate"));
        Files.writeString(dir.resolve("aggregate/function.json"), json);
        var e = assertThrows(java.io.UncheckedIOException.class, () -> Descriptor.load(dir, "aggregate"));
        assertTrue(e.getMessage().contains("memoryMB"), e.getMessage());
    }
}
