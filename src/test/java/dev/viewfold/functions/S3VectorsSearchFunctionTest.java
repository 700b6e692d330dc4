package dev.viewfold.functions;

import dev.viewfold.testing.LocalS3Vectors;
import dev.viewfold.testing.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;

/**
 * The whole search suite again with {@code viewfold.search.backend=s3vectors}, against LocalS3 on
 * loopback: every request answers as on the in-process backend (the index is kept in step by the
 * writes the suite makes: encode, folds, cluster placements, deletes), and what S3 Vectors cannot
 * do is a 400 that says so.
 */
@QuarkusTest
@TestProfile(S3VectorsSearchFunctionTest.Profile.class)
class S3VectorsSearchFunctionTest extends SearchFunctionTest {

    static final Path DATA = Path.of("target/test-data/search-s3vectors").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestData.wipeOnce(DATA, "test.search-s3vectors.data.wiped");
            return Map.of("viewfold.data", DATA.toString(), "viewfold.search.refresh", "0s",
                    "quarkus.http.limits.max-body-size", "1M");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LocalS3Vectors.class));
        }
    }

    @Override
    protected Path data() {
        return DATA;
    }

    /** S3 Vectors' search is approximate by contract (LocalS3's happens to be exact). */
    @Override
    protected String searchPath() {
        return "approximate";
    }

    @Test
    void whatS3VectorsCannotDoIsA400ThatSaysSo() {
        post("{\"observationId\":\"obj1\",\"k\":101}").statusCode(400)
                .body("error", containsString("k is at most 100 with the s3vectors search backend"));
        post("{\"observationId\":\"obj1\",\"exact\":true}").statusCode(400)
                .body("error", containsString("cannot force an exact scan"));
    }
}
