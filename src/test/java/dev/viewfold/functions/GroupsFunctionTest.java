package dev.viewfold.functions;

import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.Encoder;
import dev.viewfold.store.VectorTable;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.testing.Shared;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Labels, training a head, searching and classifying in either space, over HTTP, on real flower
 * photos: 12 species × 10 training photos, each photo its own observation labelled with its species.
 */
@QuarkusTest
@TestProfile(GroupsFunctionTest.Profile.class)
class GroupsFunctionTest {

    static final Path DATA = Path.of("target/test-data/groups").toAbsolutePath();
    static final Path FLOWERS = Shared.dataset("flowers12");
    static final List<String> SPECIES = List.of("bluebell", "buttercup", "colts-foot", "daisy", "dandelion",
            "fritillary", "iris", "lily-valley", "pansy", "sunflower", "tigerlily", "windflower");
    static boolean seeded;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            wipe();
            return Map.of("viewfold.data", DATA.toString(), "viewfold.search.refresh", "0s",
                    "viewfold.groups.recheck", "0s", "viewfold.groups.heads-refresh", "0s");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Inject
    Encoder encoder;

    @Inject
    VectorTable table;

    @BeforeEach
    void seed() throws IOException {
        if (seeded) {
            return;
        }
        List<EncodeRequest> requests = new ArrayList<>();
        for (String species : SPECIES) {
            for (Path photo : photos("train", species).subList(0, 10)) {
                String key = "train/" + species + "/" + photo.getFileName();
                requests.add(new EncodeRequest(key, species + "-" + stem(photo), "1", null, Set.of(species)));
            }
        }
        encoder.encode(new LocalObjectStore(FLOWERS), requests);
        seeded = true;
    }

    static List<Path> photos(String split, String species) throws IOException {
        try (Stream<Path> s = Files.list(FLOWERS.resolve(split).resolve(species))) {
            return s.sorted().toList();
        }
    }

    static String stem(Path p) {
        String name = p.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    static void wipe() {
        dev.viewfold.testing.TestData.wipeOnce(DATA, "test.groups.data.wiped");
    }

    ValidatableResponse post(String function, String body) {
        return given().contentType(ContentType.JSON).body(body).post(root + function).then().log().ifValidationFails();
    }

    static String image(Path file) throws IOException {
        return "\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(file)) + "\"";
    }

    @Test
    void searchFiltersOnLabelsAndHitsSayTheirLabels() {
        post("search", "{\"observationId\":\"daisy-image_0801\",\"k\":20,\"filter\":{\"labels\":[\"iris\",\"pansy\"]}}")
                .statusCode(200).body("hits", hasSize(20))
                .body("hits.labels.flatten()", everyItem(org.hamcrest.Matchers.oneOf("iris", "pansy")));
    }

    @Test
    void theLabelsFunctionEditsAnObservationAndSearchSeesIt() throws IOException {
        String obs = "sunflower-" + stem(photos("train", "sunflower").get(3));
        post("labels", "{\"observationId\":\"" + obs + "\",\"add\":[\"yellow\"]}").statusCode(200)
                .body("labels", equalTo(List.of("sunflower", "yellow"))).body("imagesUpdated", equalTo(1));
        post("search", "{\"observationId\":\"" + obs + "\",\"k\":5,\"filter\":{\"labels\":[\"yellow\"]}}")
                .statusCode(200).body("hits", hasSize(1)).body("hits[0].id", equalTo(obs));
        post("labels", "{\"observationId\":\"" + obs + "\",\"remove\":[\"yellow\"]}").statusCode(200)
                .body("labels", equalTo(List.of("sunflower")));
        post("labels", "{\"observationId\":\"nobody\",\"add\":[\"x\"]}").statusCode(404)
                .body("error", containsString("no observation with id 'nobody'"));
        post("labels", "{\"observationId\":\"" + obs + "\"}").statusCode(400)
                .body("error", containsString("give labels to set, add or remove"));
        post("labels", "{\"observationId\":\"" + obs + "\",\"add\":[\"a|b\"]}").statusCode(400)
                .body("error", containsString("'|'"));
        post("labels", "{\"observation\":\"" + obs + "\"}").statusCode(400)
                .body("error", containsString("unknown field 'observation'"));
    }

    @Test
    void aHeadIsTrainedDeterministicallyAndEveryFunctionWorksInItsSpace() throws IOException {
        String body = "{\"maxEpochs\":40,\"seed\":7,\"dimension\":128}";
        String space = post("train", body).statusCode(200)
                .body("space", containsString("+head@"))
                // a quarter of each species' observations is held out, for classifiers in its space to be checked on
                .body("labelled", equalTo(84)).body("heldOutObservations", equalTo(36))
                .body("examples", equalTo("observations"))
                .body("curve.size()", greaterThan(1))
                .body("validationHead.mapAtR", greaterThan(0f))
                .body("imagesProjected", equalTo(120))
                .body("warning", containsString("only 3 groups were held out to validate on"))
                .extract().path("space");
        post("train", body).statusCode(200).body("space", equalTo(space)); // same seed, same data: same head
        post("train", "{\"examples\":\"images\",\"maxEpochs\":5}").statusCode(200)
                .body("examples", equalTo("images")).body("labelled", equalTo(84))
                .body("settings.outputDim", equalTo(1280)); // by default the model's own dimension
        post("train", "{\"examples\":\"photos\"}").statusCode(400)
                .body("error", containsString("unknown examples 'photos'; known: observations, images"));
        String base = encoder.space();
        assertTrue(space.startsWith(base + "+head@"), space);
        int dims = table.findObservation(space, "daisy-image_0801").orElseThrow().vector().length;
        assertEquals(128, dims, "projected rows hold the head's dimension, in their own space");

        post("search", "{\"observationId\":\"daisy-image_0801\",\"k\":3,\"space\":\"" + space + "\"}").statusCode(200)
                .body("space", equalTo(space)).body("hits[0].labels", hasItem("daisy"));
        post("search", "{\"observationId\":\"daisy-image_0801\",\"space\":\"" + base + "+head@000000000000\"}")
                .statusCode(404).body("error", both(startsWith("unknown space '" + base + "+head@000000000000': this"
                        + " deployment has " + base + " and the spaces of the heads trained on it: ["))
                        .and(containsString(space)));
        post("search", "{\"observationId\":\"daisy-image_0801\",\"space\":\"other@1\"}")
                .statusCode(404).body("error", startsWith("unknown space 'other@1'"));

        Path unseenDaisy = photos("test", "daisy").get(0);
        given().contentType("image/jpeg").body(Files.readAllBytes(unseenDaisy)).queryParam("k", 3)
                .queryParam("space", space).post(root + "search/image").then().log().ifValidationFails()
                .statusCode(200).body("space", equalTo(space)).body("hits[0].labels", hasItem("daisy"));
        for (String space2 : List.of(base, space)) {
            for (String method : List.of("prototype", "knn", "linear", "auto")) {
                post("classify", "{\"image\":" + image(unseenDaisy) + ",\"method\":\"" + method + "\",\"space\":\""
                        + space2 + "\"}").statusCode(200)
                        .body("scores[0].group", equalTo("daisy")).body("groups", hasItem("daisy"))
                        .body("none", equalTo(false)).body("knownGroups", equalTo(12)).body("space", equalTo(space2))
                        .body("heldOutAccuracy", greaterThan(0.5f)).body("heldOutCorrect", greaterThan(0.5f));
            }
        }
        // A photo that is no flower at all is in none of the groups.
        String mug = image(Shared.dataset("coil100/images/obj5__0.jpg"));
        String chosen = post("classify", "{\"image\":" + mug + "}").statusCode(200)
                .body("none", equalTo(true)).body("groups", hasSize(0)).extract().path("method");
        // auto: the kind whose held-out observations were answered best, "none" counted wrong (ties: linear first)
        String best = null;
        float bestCorrect = -1;
        for (String method : List.of("linear", "prototype", "knn")) {
            float correct = post("classify", "{\"image\":" + mug + ",\"method\":\"" + method + "\"}").statusCode(200)
                    .body("none", equalTo(true)).extract().<Float>path("heldOutCorrect");
            if (correct > bestCorrect) {
                bestCorrect = correct;
                best = method;
            }
        }
        assertEquals(best, chosen);
        post("classify", "{\"observationId\":\"nobody\"}").statusCode(404);
        post("classify", "{\"observationId\":\"daisy-image_0801\",\"method\":\"svm\"}").statusCode(400)
                .body("error", containsString("unknown method 'svm'; known: knn, prototype, linear, auto"));
        post("classify", "{}").statusCode(400).body("error", containsString("give exactly one of"));

        // Ingest goes on into the head's space: a new photo lands in both.
        Path fresh = photos("test", "iris").get(0);
        encoder.encode(new LocalObjectStore(FLOWERS), List.of(new EncodeRequest("test/iris/" + fresh.getFileName(),
                "iris-new", "1", null, Set.of("iris"))));
        assertEquals(Set.of("iris"), table.findObservation(space, "iris-new").orElseThrow().labels());
        assertEquals(128, table.findObservation(space, "iris-new").orElseThrow().vector().length);

        post("cluster", "{\"space\":\"" + space + "\"}").statusCode(200).body("observations", equalTo(121));
        assertTrue(Files.exists(DATA.resolve("buckets/viewfold-images/maps/spaces/" + space + "/latest/index.html")),
                "a head's space keeps its own latest map");
        assertTrue(!Files.exists(DATA.resolve("buckets/viewfold-images/maps/latest/index.html")),
                "maps/latest/ is the model space's alone");
        post("cluster", "{\"space\":\"nowhere@1\"}").statusCode(404).body("error", containsString("unknown space"));
        post("train", "{\"loss\":\"hinge\"}").statusCode(400).body("error", containsString("unknown loss 'hinge'"));
        post("train", "{\"dimension\":-1}").statusCode(400).body("error", containsString("outputDim must be in 0..4096"));
        // Each flower photo is its own observation: nothing says which views belong together. The data
        // cannot make this head (yet): 409, as for classifying before any labels.
        post("train", "{\"head\":\"whiten\"}").statusCode(409)
                .body("error", containsString("whitening learns from observations with two or more views; none has"));
        post("train", "{\"head\":\"whiten\",\"loss\":\"triplet\"}").statusCode(400)
                .body("error", containsString("it takes shrink only"));
        post("train", "{\"head\":\"whiten\",\"shrink\":0}").statusCode(400)
                .body("error", containsString("shrink must be a number above 0 and at most 1e6"));
        post("train", "{\"head\":\"whitening\"}").statusCode(400)
                .body("error", containsString("unknown head 'whitening'; known: linear, mlp, whiten"));
        post("train", "{\"shrink\":0.1}").statusCode(400).body("error", containsString("shrink is for head \"whiten\""));
    }

    @Test
    void aTrainingRunTheClientAbandonsIsStoppedAndJobsCanBeWatchedAndCancelled() throws Exception {
        // A run of many epochs, its request sent by hand and the connection closed at once.
        String body = "{\"maxEpochs\":500,\"patience\":500,\"dimension\":64}";
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            socket.getOutputStream().write(("POST /train HTTP/1.1\r\nHost: localhost:" + root.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Thread.sleep(500); // the job has started
        }
        String id = null;
        for (int i = 0; i < 100 && id == null; i++) {
            List<Map<String, Object>> jobs = given().get(root + "jobs").then().statusCode(200).extract().path("jobs");
            for (Map<String, Object> job : jobs) {
                if ("train".equals(job.get("kind")) && "cancelled".equals(job.get("state"))) {
                    assertTrue(String.valueOf(job.get("error")).contains("the client went away"), job.toString());
                    assertTrue(((Number) job.get("seconds")).doubleValue() < 20, "stopped, not run to its end: " + job);
                    id = (String) job.get("id");
                }
            }
            Thread.sleep(100);
        }
        assertTrue(id != null, "the abandoned run was stopped");

        // Started in the background, watched, then cancelled.
        String started = given().contentType(ContentType.JSON).body(body).post(root + "jobs/train").then()
                .statusCode(202).body("state", equalTo("running")).extract().path("id");
        post("jobs/train", body).statusCode(409).body("error", containsString("already running"));
        given().get(root + "jobs/" + started).then().statusCode(200).body("kind", equalTo("train"));
        given().delete(root + "jobs/" + started).then().statusCode(202);
        for (int i = 0; i < 100; i++) {
            if ("cancelled".equals(given().get(root + "jobs/" + started).then().extract().path("state"))) {
                break;
            }
            Thread.sleep(100);
        }
        given().get(root + "jobs/" + started).then().body("state", equalTo("cancelled"))
                .body("error", equalTo("cancelled by a request"));
        given().get(root + "jobs/nope").then().statusCode(404).body("error", containsString("no job with id 'nope'"));
    }
}
