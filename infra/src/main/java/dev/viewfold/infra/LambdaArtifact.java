package dev.viewfold.infra;

import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The code of one Lambda, and the runtime, handler and architecture that follow from it.
 * <p>
 * The runtime follows what was built, not only what the descriptor hopes for: a {@code function.zip}
 * with a {@code bootstrap} executable is a native build ({@code provided.al2023}, the architecture
 * read from the executable's ELF header); one with a {@code lib/} of jars is a JVM build ({@code
 * java21} with the descriptor's JVM handler). When the zip is absent and placeholders are allowed,
 * a placeholder asset stands in (it cannot serve a request), so that synth and the tests run on a
 * machine that has built nothing.
 *
 * @param kind {@code native}, {@code jvm} or {@code placeholder}
 */
public record LambdaArtifact(Code code, Runtime runtime, String handler, Architecture architecture, String kind,
                             Path zip) {

    /** Folder (relative to the repository) whose one file is the placeholder asset's content. */
    public static final String PLACEHOLDER = "infra/placeholder/lambda";

    public static LambdaArtifact resolve(Descriptor d, Settings s) {
        Descriptor.LambdaSpec spec = d.lambda();
        Architecture declared = architecture(d.architecture());
        Path zip = s.artifactRoot().resolve(spec.artifact()).normalize();
        if (Files.isRegularFile(zip)) {
            try (ZipFile z = new ZipFile(zip.toFile())) {
                ZipEntry bootstrap = z.getEntry("bootstrap");
                if (bootstrap != null) {
                    Architecture arch;
                    try (InputStream in = z.getInputStream(bootstrap)) {
                        arch = elfArchitecture(in.readNBytes(20), declared);
                    }
                    return new LambdaArtifact(Code.fromAsset(zip.toString()), Runtime.PROVIDED_AL2023, "bootstrap",
                            arch, "native", zip);
                }
                boolean jars = z.stream().anyMatch(e -> e.getName().startsWith("lib/") && e.getName().endsWith(".jar"));
                if (!jars) {
                    throw new IllegalStateException(zip + " is neither a native build (no bootstrap) nor a JVM build (no lib/*.jar)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + zip, e);
            }
            String handler = spec.runtime().equals("java21") ? spec.handler() : spec.jvmHandler();
            return new LambdaArtifact(Code.fromAsset(zip.toString()), Runtime.JAVA_21, handler, declared, "jvm", zip);
        }
        if (!s.allowPlaceholders()) {
            throw new IllegalStateException("functions/" + d.name() + ": " + zip + " is missing. Build it with `"
                    + spec.build() + "`" + (spec.jvmBuild() == null ? "" : " (or `" + spec.jvmBuild() + "` for the JVM)")
                    + ", or synth with -c allowPlaceholders=true for a placeholder that cannot run");
        }
        Runtime runtime = spec.runtime().equals("java21") ? Runtime.JAVA_21 : Runtime.PROVIDED_AL2023;
        return new LambdaArtifact(Code.fromAsset(s.repoRoot().resolve(PLACEHOLDER).toString()), runtime,
                spec.handler(), declared, "placeholder", zip);
    }

    static Architecture architecture(String name) {
        return switch (name) {
            case "arm64" -> Architecture.ARM_64;
            case "x86_64" -> Architecture.X86_64;
            default -> throw new IllegalArgumentException("architecture must be arm64 or x86_64, not '" + name + "'");
        };
    }

    /** e_machine of an ELF header: 0x3E x86-64, 0xB7 AArch64; the declared one for anything else. */
    static Architecture elfArchitecture(byte[] header, Architecture declared) {
        if (header.length < 20 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            return declared; // a script, say: it runs whatever it wraps
        }
        int machine = (header[18] & 0xff) | (header[19] & 0xff) << 8;
        return switch (machine) {
            case 0x3E -> Architecture.X86_64;
            case 0xB7 -> Architecture.ARM_64;
            default -> throw new IllegalStateException("bootstrap is an ELF executable for machine 0x"
                    + Integer.toHexString(machine) + ", which Lambda does not run");
        };
    }
}
