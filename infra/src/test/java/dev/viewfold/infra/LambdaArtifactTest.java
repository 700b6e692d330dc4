package dev.viewfold.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime follows what was built: native bootstrap (and its ELF machine), JVM jars, or nothing. */
class LambdaArtifactTest {

    static final Descriptor AGGREGATE = Descriptor.load(Path.of("../functions"), "aggregate");

    static Settings settings(Path artifactRoot, boolean placeholders) {
        return new Settings(Path.of("..").toAbsolutePath().normalize(), Path.of("../functions"), artifactRoot,
                placeholders, Path.of("model.onnx"), "m", "latest", "lambda", false, false, true, null, null, null,
                "memory", null, "viewfold", 1, 1280, 16, true);
    }

    static void zip(Path file, Map<String, byte[]> entries) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    static byte[] elf(int machine) {
        byte[] h = new byte[64];
        h[0] = 0x7f;
        h[1] = 'E';
        h[2] = 'L';
        h[3] = 'F';
        h[18] = (byte) machine;
        return h;
    }

    @Test
    void aNativeBuildRunsOnProvidedAl2023WithTheExecutablesArchitecture(@TempDir Path root) throws IOException {
        zip(root.resolve("target/lambda/function.zip"), Map.of("bootstrap", elf(0xB7)));
        LambdaArtifact a = LambdaArtifact.resolve(AGGREGATE, settings(root, false));
        assertEquals("native", a.kind());
        assertEquals(Runtime.PROVIDED_AL2023.getName(), a.runtime().getName());
        assertEquals("bootstrap", a.handler());
        assertEquals(Architecture.ARM_64.getName(), a.architecture().getName());

        zip(root.resolve("target/lambda/function.zip"), Map.of("bootstrap", elf(0x3E)));
        assertEquals(Architecture.X86_64.getName(), LambdaArtifact.resolve(AGGREGATE, settings(root, false)).architecture().getName());
    }

    @Test
    void aJvmBuildRunsOnJava21WithTheFunqyHandler(@TempDir Path root) throws IOException {
        zip(root.resolve("target/lambda/function.zip"), Map.of("lib/io.quarkus.quarkus-core.jar", new byte[] {1}));
        LambdaArtifact a = LambdaArtifact.resolve(AGGREGATE, settings(root, false));
        assertEquals("jvm", a.kind());
        assertEquals(Runtime.JAVA_21.getName(), a.runtime().getName());
        assertEquals("io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest", a.handler());
    }

    @Test
    void nothingBuiltStopsTheSynthWithTheBuildCommandUnlessPlaceholdersAreAllowed(@TempDir Path root) {
        var e = assertThrows(IllegalStateException.class, () -> LambdaArtifact.resolve(AGGREGATE, settings(root, false)));
        assertTrue(e.getMessage().contains("./mvnw -Plambda -Dnative package"), e.getMessage());
        assertTrue(e.getMessage().contains("allowPlaceholders"), e.getMessage());
        LambdaArtifact a = LambdaArtifact.resolve(AGGREGATE, settings(root, true));
        assertEquals("placeholder", a.kind());
        assertEquals(Runtime.PROVIDED_AL2023.getName(), a.runtime().getName());
    }

    @Test
    void aZipThatIsNeitherIsRefused(@TempDir Path root) throws IOException {
        zip(root.resolve("target/lambda/function.zip"), Map.of("README.txt", new byte[] {1}));
        assertThrows(IllegalStateException.class, () -> LambdaArtifact.resolve(AGGREGATE, settings(root, true)));
    }
}
