package dev.viewfold.functions;

import dev.viewfold.testing.S3Events;
import dev.viewfold.testing.Shared;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.viewfold.errors.Refused;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The functions over HTTP on the embedded default, as {@code serve} exposes them: a bucket is a
 * folder under the data folder, so an S3-shaped event works unchanged.
 */
@QuarkusTest
@TestProfile(LocalFunctionsTest.TempData.class)
class LocalFunctionsTest {

    /** A fixed path: the profile is read in another class loader, so a random one would differ. */
    static final Path DATA = Path.of("target/test-data/http").toAbsolutePath();

    public static class TempData implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Searches see the newest folds at once: a fold looks for a view's home among them.
            return Map.of("viewfold.data", DATA.toString(), "viewfold.search.refresh", "0s");
        }
    }

    @TestHTTPResource("/encode")
    URL encode;

    @TestHTTPResource("/stats")
    URL stats;

    @Test
    void anUploadEventEncodesFromTheLocalBucketAndStatsCountIt() throws IOException {
        String teapot = "teapot-" + System.nanoTime(); // the data folder outlives one run
        Path image = DATA.resolve("buckets/viewfold-images/images/" + teapot + "/0.jpg");
        Files.createDirectories(image.getParent());
        Files.copy(Shared.dataset("coil100/images/obj21__0.jpg"), image);
        Files.write(image.resolveSibling("1.jpg"), new byte[0]);
        int images = given().get(stats).then().statusCode(200).extract().path("images");
        int failed = given().get(stats).then().extract().path("failed");
        int observations = given().get(stats).then().extract().path("observations");

        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", "images/" + teapot + "/0.jpg",
                        "images/" + teapot + "/1.jpg").toString())
                .post(encode).then().log().ifValidationFails().statusCode(200)
                .body("encoded", equalTo(1)).body("failed", equalTo(1))
                .body("space", startsWith("mobilenetv2-12-int8@"))
                .body("outcomes[0].observationId", equalTo(teapot))
                .body("outcomes[1].reason", equalTo("empty file (0 bytes)"));

        given().get(stats).then().statusCode(200)
                .body("images", equalTo(images + 1)).body("failed", equalTo(failed + 1))
                .body("observations", equalTo(observations + 1));
    }

    @TestHTTPResource("/labels")
    URL labels;

    @Test
    void aPageOfAnotherSiteOrAForeignHostCannotDriveTheServerButCurlAndTheServersOwnPagesCan() throws IOException {
        String cup = "cup-" + System.nanoTime();
        uploaded(cup, "obj41__0.jpg", "0.jpg");
        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", "images/" + cup + "/0.jpg")
                .toString()).post(encode).then().statusCode(200).body("encoded", equalTo(1));
        String label = "{\"observationId\":\"" + cup + "\",\"add\":[\"stolen\"]}";

        // What any page the user opens may send without asking: a text/plain post, with its Origin.
        given().contentType("text/plain").header("Origin", "http://evil.example").body(label).post(labels)
                .then().statusCode(403).body("error", containsString("viewfold.http.allowed-origins"));
        given().contentType(ContentType.JSON).header("Origin", "http://evil.example").body(label).post(labels)
                .then().statusCode(403);
        given().contentType(ContentType.JSON).header("Sec-Fetch-Site", "cross-site").body(label).post(labels)
                .then().statusCode(403);
        // A page that rebinds its own name to 127.0.0.1 reaches us under that name.
        given().contentType(ContentType.JSON).header("Host", "evil.example:" + labels.getPort()).body(label)
                .post(labels).then().statusCode(403).body("error", containsString("host 'evil.example'"));
        // A write that does not say it is JSON is refused before it is read.
        given().contentType("text/plain").body(label).post(labels).then().statusCode(415)
                .body("error", containsString("Content-Type: application/json"));
        given().contentType("application/x-www-form-urlencoded").body(label).post(labels).then().statusCode(415);
        // curl (no Origin) and the server's own page (its own origin) may; none of the above was stored.
        given().contentType(ContentType.JSON).body(label.replace("stolen", "mug")).post(labels)
                .then().statusCode(200).body("labels", org.hamcrest.Matchers.contains("mug"));
        given().contentType(ContentType.JSON).header("Host", "localhost:" + labels.getPort())
                .header("Origin", "http://localhost:" + labels.getPort())
                .body(label.replace("stolen", "cup")).post(labels)
                .then().log().ifValidationFails().statusCode(200).body("labels", org.hamcrest.Matchers.contains("cup", "mug"));
        given().get(stats).then().statusCode(200);
    }

    /** Java's HTTP client upgrades to HTTP/2, where :authority stands for Host: a plain client, answered. */
    @Test
    void anHttp2ClientIsAnsweredLikeAnyOther() throws Exception {
        var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
        var request = java.net.http.HttpRequest.newBuilder(stats.toURI()).GET().build();
        for (int i = 0; i < 2; i++) { // the first may upgrade from HTTP/1.1, the next speaks HTTP/2
            var answer = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.version() + " " + answer.body());
        }
        var post = java.net.http.HttpRequest.newBuilder(labels.toURI()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"observationId\":\"nobody\",\"add\":[\"x\"]}"))
                .build();
        var answer = http.send(post, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, answer.version(), "the upgrade took place");
        assertEquals(404, answer.statusCode(), answer.body());
    }

    @Test
    void aBodyThatIsNotJsonIsA400InOneLineNotAnErrorWithAStackTrace() {
        given().contentType(ContentType.JSON).body("{\"observationId\": ").post(aggregate).then().statusCode(400)
                .body("error", startsWith("malformed JSON"));
        // What the console prints: Funqy's ERROR for it is filtered out; a real fault is not.
        java.util.logging.Handler console = java.util.Arrays.stream(
                        java.util.logging.Logger.getLogger("").getHandlers())
                .flatMap(h -> h instanceof org.jboss.logmanager.ExtHandler d
                        ? java.util.Arrays.stream(d.getHandlers()) : java.util.stream.Stream.of(h))
                .filter(h -> h instanceof org.jboss.logmanager.handlers.ConsoleHandler).findFirst().orElseThrow();
        java.util.logging.LogRecord unmarshal = new java.util.logging.LogRecord(java.util.logging.Level.SEVERE,
                "Failed to unmarshal input: com.fasterxml.jackson.core.io.JsonEOFException: Unexpected end-of-input");
        unmarshal.setLoggerName("io.quarkus.funqy");
        java.util.logging.LogRecord fault = new java.util.logging.LogRecord(java.util.logging.Level.SEVERE,
                "HTTP Request to /search failed, error id: 1");
        fault.setLoggerName("io.quarkus.vertx.http.runtime.QuarkusErrorHandler");
        assertEquals(false, console.getFilter().isLoggable(unmarshal));
        assertEquals(true, console.getFilter().isLoggable(fault));
    }

    @jakarta.inject.Inject
    io.vertx.ext.web.Router router;

    @Test
    void theApiDocumentListsExactlyTheRoutesServedAndServeAnswersItWithHealthAndMetrics() throws Exception {
        java.util.Set<String> served = new java.util.TreeSet<>();
        // Funqy's functions: one route each, /<name>.
        try (var classes = Files.list(Path.of("target/classes/dev/viewfold/functions"))) {
            for (Path c : classes.toList()) {
                String name = c.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                for (var m : Class.forName("dev.viewfold.functions." + name.replace(".class", "")).getMethods()) {
                    io.quarkus.funqy.Funq funq = m.getAnnotation(io.quarkus.funqy.Funq.class);
                    if (funq != null) {
                        served.add("/" + (funq.value().isEmpty() ? m.getName() : funq.value()));
                    }
                }
            }
        }
        // Routes of our own on the router (Quarkus' /q/ endpoints aside).
        for (var route : router.getRoutes()) {
            String path = route.getPath();
            if (path != null && !path.startsWith("/q") && !path.equals("/")) {
                served.add(path.replaceAll(":(\\w+)", "{$1}").replaceAll("^/map$", "/map/"));
            }
        }
        java.util.Set<String> documented = new java.util.TreeSet<>();
        OpenApiTest.API.path("paths").fieldNames().forEachRemaining(documented::add);
        assertEquals(documented, served);

        given().get(root + "q/openapi").then().statusCode(200).body(containsString("title: Viewfold"))
                .body(containsString("/jobs/{id}:"));
        given().get(root + "q/health").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems("store", "model", "search index"));
        given().get(stats).then().statusCode(200);
        given().get(root + "q/metrics").then().statusCode(200)
                .body(containsString("viewfold_table_images{status=\"ok\"}"))
                .body(containsString("viewfold_folds_pending"))
                .body(containsString("viewfold_http_server_requests_seconds_count"));
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void aDeletedViewLeavesTheTableAndTheObservationIsRefolded() throws IOException {
        String lamp = "lamp-" + System.nanoTime();
        Path dir = uploaded(lamp, "obj40__0.jpg", "0.jpg", "obj40__90.jpg", "90.jpg");
        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", "images/" + lamp + "/0.jpg",
                "images/" + lamp + "/90.jpg").toString()).post(encode).then().statusCode(200).body("encoded", equalTo(2));
        given().contentType(ContentType.JSON).body("{\"observationId\":\"" + lamp + "\"}").post(aggregate)
                .then().statusCode(200).body("observations[0].viewCount", equalTo(2));

        Files.delete(dir.resolve("90.jpg"));
        var removal = S3Events.event("viewfold-images", "ObjectRemoved:Delete", "images/" + lamp + "/90.jpg",
                "images/" + lamp + "/0.jpg"); // 0.jpg still exists: a late delete must not drop it
        given().contentType(ContentType.JSON).body(removal.toString()).post(encode).then().statusCode(200)
                .body("removed", equalTo(1)).body("outcomes[0].viewId", equalTo("90"));
        given().contentType(ContentType.JSON).body("{\"observationId\":\"" + lamp + "\"}").post(aggregate)
                .then().statusCode(200).body("observations[0].viewCount", equalTo(1))
                .body("observations[0].status", equalTo("ok")).body("observations[0].written", equalTo(true));
    }

    @TestHTTPResource("/aggregate")
    URL aggregate;

    @TestHTTPResource("/observation")
    URL observation;

    @Test
    void aPhotoFiledUnderTheWrongObservationIsLeftOutAndTheApiSaysWhereItBelongs() throws IOException {
        String run = "-" + System.nanoTime();
        List<String> keys = new java.util.ArrayList<>();
        for (int obj = 50; obj < 62; obj++) { // a shelf of objects, three views 5° apart each
            uploaded("obj" + obj + run, "obj" + obj + "__0.jpg", "0.jpg", "obj" + obj + "__5.jpg", "5.jpg",
                    "obj" + obj + "__10.jpg", "10.jpg");
            for (String view : List.of("0", "5", "10")) {
                keys.add("images/obj" + obj + run + "/" + view + ".jpg");
            }
        }
        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", keys.toArray(String[]::new))
                .toString()).post(encode).then().statusCode(200).body("encoded", equalTo(keys.size()));
        // Then a fourth object's photos, one of them a new photo of obj57 filed here by mistake.
        String mixed = "obj62" + run;
        uploaded(mixed, "obj62__0.jpg", "0.jpg", "obj62__5.jpg", "5.jpg", "obj62__10.jpg", "10.jpg",
                "obj62__15.jpg", "15.jpg", "obj57__15.jpg", "stray.jpg");
        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", Stream.of("0", "5", "10", "15",
                        "stray").map(v -> "images/" + mixed + "/" + v + ".jpg").toArray(String[]::new)).toString())
                .post(encode).then().statusCode(200).body("encoded", equalTo(5));

        var shown = given().contentType(ContentType.JSON).body("{\"observationId\":\"" + mixed + "\"}").post(observation)
                .then().statusCode(200).extract().jsonPath();
        String explanation = shown.getString("explanation");
        for (int i = 0; i < 5; i++) {
            boolean stray = shown.getString("views[" + i + "].viewId").equals("stray");
            assertEquals(stray, shown.getBoolean("views[" + i + "].outlier"), explanation);
            String home = shown.getString("views[" + i + "].likelyHome");
            assertTrue(stray ? home != null && home.startsWith("obj57-") : home == null, home + ": " + explanation);
            assertEquals(stray, shown.get("views[" + i + "].likelyHomeScore") != null);
        }
        assertTrue(explanation.contains("'stray' (") && explanation.contains("looks like obj57-"), explanation);
        given().contentType(ContentType.JSON).body("{\"observationId\":\"" + mixed + "\"}").post(aggregate)
                .then().statusCode(200).body("observations[0].outlierViews", equalTo(List.of("stray")))
                .body("observations[0].likelyHomes[0].viewId", equalTo("stray"))
                .body("observations[0].likelyHomes[0].observationId", startsWith("obj57-"))
                .body("observations[0].likelyHomes[0].imageId", containsString(mixed + "/stray.jpg"));
    }

    /** Copies COIL-100 images into the local uploads bucket under images/{@code observation}/: (source, name) pairs. */
    private static Path uploaded(String observation, String... sourceAndName) throws IOException {
        Path dir = Files.createDirectories(DATA.resolve("buckets/viewfold-images/images/" + observation));
        for (int i = 0; i < sourceAndName.length; i += 2) {
            Files.copy(Shared.dataset("coil100/images/" + sourceAndName[i]), dir.resolve(sourceAndName[i + 1]));
        }
        return dir;
    }

    @Test
    void aBucketNameThatIsAPathIsA400AndReadsNothing() {
        given().contentType(ContentType.JSON).body(S3Events.created("/etc", "passwd").toString()).post(encode)
                .then().statusCode(400).body("error", equalTo("'/etc' is not an S3 bucket name"));
    }

    @Test
    void aKeyOutsideTheBucketFailsAloneAndTheRestOfTheBatchIsEncoded() throws IOException {
        String cup = "cup-" + System.nanoTime();
        uploaded(cup, "obj41__0.jpg", "a.jpg");
        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", "images/" + cup + "/a.jpg",
                "../x.png").toString()).post(encode).then().statusCode(200).body("encoded", equalTo(1))
                .body("failed", equalTo(1));
    }

    @Test
    void misspeltOrMistypedOptionsAre400sNotSilentDefaults() {
        given().contentType(ContentType.JSON).body("{\"observationId\":\"x\",\"strategyy\":\"mean\"}").post(aggregate)
                .then().statusCode(400).body("error", containsString("unknown field 'strategyy'"));
        given().contentType(ContentType.JSON).body("{\"space\":123}").post(cluster)
                .then().statusCode(400).body("error", containsString("field 'space' must be a string"));
        given().contentType(ContentType.JSON).body("{\"phase\":\"fit\"}").post(cluster)
                .then().statusCode(400).body("error", containsString("phases are the AWS state machine's"));
        given().contentType(ContentType.JSON).body("{\"refit\":\"yes\"}").post(cluster)
                .then().statusCode(400).body("error", containsString("field 'refit' must be true or false"));
        given().contentType(ContentType.JSON).body("{\"threshold\":\"NaN\"}").post(duplicates)
                .then().statusCode(400).body("error", containsString("threshold"));
    }

    @TestHTTPResource("/cluster")
    URL cluster;

    @Inject
    ClusterFunction clusterFunction;

    @Test
    void theStateMachinesPhasesRefuseWhatTheyCannotDo() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Refused unknown = assertThrows(Refused.class, () -> clusterFunction.cluster(json.createObjectNode().put("phase", "fitt")));
        assertEquals(400, unknown.status());
        assertTrue(unknown.getMessage().contains("unknown phase 'fitt'"), unknown.getMessage());
        Refused segment = assertThrows(Refused.class, () -> clusterFunction.cluster(json.createObjectNode()
                .put("phase", "assign").put("run", "r").put("segment", 3).put("totalSegments", 2)));
        assertEquals(400, segment.status());
        assertTrue(segment.getMessage().contains("segment must be below totalSegments"), segment.getMessage());
        Refused run = assertThrows(Refused.class, () -> clusterFunction.cluster(json.createObjectNode()
                .put("phase", "finish").put("run", "20200101T000000Z")));
        assertEquals(404, run.status());
        assertTrue(run.getMessage().contains("no fitted cluster run '20200101T000000Z'"), run.getMessage());
    }

    @TestHTTPResource("/duplicates")
    URL duplicates;

    @Test
    void malformedJsonIsA400() {
        given().contentType(ContentType.JSON).body("{\"Records\": [").post(encode).then().statusCode(400);
        given().contentType(ContentType.JSON).body("[1,2]").post(encode).then().statusCode(400)
                .body("error", containsString("expected a JSON object"));
    }
}
