package dev.viewfold.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model whose output does not match the spec stops the command before any image is read. */
@QuarkusMainTest
@TestProfile(BadModelTest.WrongOutput.class)
class BadModelTest {

    public static class WrongOutput implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("viewfold.model.output", "logits", "viewfold.encode.load-at-start", "false",
                    "quarkus.http.host-enabled", "false",
                    "viewfold.data", "target/test-data/bad-model");
        }
    }

    @Test
    void ingestStopsWithAMessageNamingTheFileAndTheMismatch(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("ingest", ".");
        assertEquals(2, r.exitCode());
        String err = r.getErrorOutput();
        assertTrue(err.contains("model-embedding.onnx has no output 'logits'; its outputs are 'output' [?, 1000], "
                + "'embedding' [?, 1280] (set viewfold.model.output)"), err);
        assertTrue(!err.contains("ingest:"), "nothing was encoded");
    }
}
