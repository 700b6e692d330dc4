package dev.viewfold.functions;

import dev.viewfold.search.SearchServices;
import dev.viewfold.search.Target;
import dev.viewfold.testing.S3Events;
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

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code POST /search} and {@code POST /search/image} on the embedded default, over three COIL-100
 * objects photographed from four sides: every kind of query, the options, and every client mistake
 * answered with a 4xx that names it.
 */
@QuarkusTest
@TestProfile(SearchFunctionTest.Profile.class)
class SearchFunctionTest {

    static final Path DATA = Path.of("target/test-data/search").toAbsolutePath();
    static final int[] OBJECTS = {1, 2, 3};
    static final int[] ANGLES = {0, 90, 180, 270};
    /** Each class of the suite (this one, and the same suite on another backend) seeds its own data folder. */
    static final java.util.Set<Class<?>> SEEDED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            wipe(); // rows of an earlier run would tie with this run's: start from an empty bucket and table
            return Map.of("viewfold.data", DATA.toString(), "viewfold.search.refresh", "0s",
                    "quarkus.http.limits.max-body-size", "1M");
        }
    }

    @TestHTTPResource("/search")
    URL search;

    @TestHTTPResource("/search/image")
    URL upload;

    @TestHTTPResource("/encode")
    URL encode;

    @Inject
    SearchServices services;

    @BeforeEach
    void seed() throws IOException {
        if (SEEDED.contains(getClass())) {
            return;
        }
        List<String> keys = new ArrayList<>();
        for (int obj : OBJECTS) {
            for (int angle : ANGLES) {
                Path target = data().resolve("buckets/viewfold-images/images/obj" + obj + "/" + angle + ".jpg");
                Files.createDirectories(target.getParent());
                Files.copy(coil(obj, angle), target);
                keys.add("images/obj" + obj + "/" + angle + ".jpg");
            }
        }
        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", keys.toArray(String[]::new))
                .toString()).post(encode).then().statusCode(200).body("encoded", equalTo(12));
        SEEDED.add(getClass());
    }

    /** The data folder this class's server uses. */
    protected Path data() {
        return DATA;
    }

    /** How the backend answers three rows: the in-process one scans them. */
    protected String searchPath() {
        return "exact";
    }

    static void wipe() {
        dev.viewfold.testing.TestData.wipeOnce(DATA, "test.search.data.wiped");
    }

    static Path coil(int obj, int angle) {
        return Shared.dataset("coil100/images/obj" + obj + "__" + angle + ".jpg");
    }

    static String base64(Path file) throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post(search).then().log().ifValidationFails();
    }

    @TestHTTPResource("/")
    URL root;

    /** The same app runs the cluster function and serves its map with the images behind the points. */
    @Test
    void aClusterRunOverHttpWritesAMapThatServeShows() {
        String run = given().contentType(ContentType.JSON).body("{}").post(root + "cluster").then()
                .log().ifValidationFails().statusCode(200)
                .body("observations", equalTo(3))
                .body("clusters", equalTo(0)) // three objects are fewer than a cluster's 30: all noise
                .body("noiseFraction", equalTo(1.0f))
                .body("changes.newObservations", greaterThanOrEqualTo(0))
                .body("map", startsWith("maps/"))
                .extract().path("run");
        given().get(root + "map/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString(run)).body(containsString("\"obj2\""));
        String thumbnail = given().get(root + "map/points.json").then().statusCode(200)
                .body("$", hasSize(3)).body("[0].cluster", equalTo(null))
                .extract().path("[0].thumbnail");
        given().queryParam("id", thumbnail).get(root + "map/thumb").then().statusCode(200)
                .contentType(containsString("image/jpeg"));
        given().queryParam("id", "file:/etc/passwd").get(root + "map/thumb").then().statusCode(404)
                .body(containsString("no image with id"));
        given().get(root + "map/thumb").then().statusCode(400).body(containsString("id"));
        given().get(root + "map/summary.json").then().statusCode(200).body("run", equalTo(run));
        // A schedule's payload is ignored; so is no body at all. Ids stay.
        given().contentType(ContentType.JSON).body("{\"source\":\"aws.scheduler\",\"detail\":{}}")
                .post(root + "cluster").then().statusCode(200).body("keptFraction", equalTo(1.0f));
        given().post(root + "cluster").then().statusCode(200).body("observations", equalTo(3));
    }

    @Test
    void anUnseenViewFindsItsObjectWithTheBestMatchingViewAndALink() throws IOException {
        post("{\"image\":\"" + base64(coil(2, 45)) + "\",\"k\":3}").statusCode(200)
                .body("target", equalTo("observations")).body("metric", equalTo("cosine"))
                .body("path", equalTo(searchPath())).body("indexed", equalTo(3))
                .body("space", startsWith("mobilenetv2-12-int8@"))
                .body("hits", hasSize(3))
                .body("hits[0].id", equalTo("obj2")).body("hits[0].observationId", equalTo("obj2"))
                .body("hits[0].bestView", startsWith("file:")).body("hits[0].bestView", containsString("/obj2/"))
                .body("hits[0].link", startsWith("file:"))
                .body("hits[0].score", greaterThan(0.5f))
                .body("hits[0].distance", greaterThanOrEqualTo(0f));
    }

    @Test
    void theRawBytesOfAnUploadedFileWorkToo() throws IOException {
        given().contentType("image/jpeg").body(Files.readAllBytes(coil(3, 45)))
                .post(upload + "?k=2&target=images").then().log().ifValidationFails().statusCode(200)
                .body("target", equalTo("images")).body("hits", hasSize(2))
                .body("hits.observationId", everyItem(equalTo("obj3")));
        given().contentType("image/jpeg").body(Files.readAllBytes(coil(3, 45)))
                .post(upload + "?k=ten").then().statusCode(400).body("error", containsString("k must be a number"));
        given().contentType("image/jpeg").body(new byte[0]).post(upload).then().statusCode(400)
                .body("error", containsString("send the image file as the request body"));
        given().contentType("application/x-www-form-urlencoded").body("\u00ff\u00d8%zz").post(upload)
                .then().statusCode(415).body("error", containsString("Content-Type: image/jpeg"));
        given().contentType("image/jpeg").body(Files.readAllBytes(coil(3, 45))).post(upload + "?kk=3").then()
                .statusCode(400).body("error", containsString("unknown query parameter 'kk'"));
        given().contentType("image/jpeg").body(Files.readAllBytes(coil(3, 45))).post(upload + "?k=2.7").then()
                .statusCode(400).body("error", containsString("whole number"));
        given().contentType("image/jpeg").body(Files.readAllBytes(coil(3, 45))).post(upload + "?space=elsewhere").then()
                .statusCode(404).body("error", containsString("elsewhere"));
    }

    @Test
    void severalImagesAreFoldedIntoOneQuery() throws IOException {
        post("{\"images\":[\"" + base64(coil(1, 45)) + "\",\"" + base64(coil(1, 135)) + "\"],\"k\":1,\"strategy\":\"mean\"}")
                .statusCode(200).body("hits[0].id", equalTo("obj1"));
        post("{\"images\":[\"" + base64(coil(1, 45)) + "\",\"" + base64(coil(1, 135)) + "\"],\"k\":1,\"strategy\":\"gmp\"}")
                .statusCode(200).body("hits[0].id", equalTo("obj1"));
        post("{\"images\":[\"" + base64(coil(1, 45)) + "\",\"" + base64(coil(1, 135)) + "\"],\"strategy\":\"median\"}")
                .statusCode(400).body("error", containsString("unknown aggregation strategy 'median'"));
        post("{\"images\":[]}").statusCode(400).body("error", containsString("images must hold between 1 and 16"));
    }

    @Test
    void storedThingsAreQueriesAndCanLeaveThemselvesOut() {
        String id = data().resolve("buckets/viewfold-images/images/obj3/90.jpg").toUri().toString();
        post("{\"imageId\":\"" + id + "\",\"target\":\"images\",\"k\":1}").statusCode(200)
                .body("hits[0].id", equalTo(id)).body("hits[0].score", greaterThan(0.9999f))
                .body("queryObservation", equalTo("obj3"));
        post("{\"imageId\":\"" + id + "\",\"target\":\"images\",\"excludeOwnObservation\":true}").statusCode(200)
                .body("hits.observationId", not(org.hamcrest.Matchers.hasItem("obj3")));
        post("{\"observationId\":\"obj1\",\"k\":1}").statusCode(200).body("hits[0].id", equalTo("obj1"));
        post("{\"key\":\"images/obj2/0.jpg\",\"excludeOwnObservation\":true}").statusCode(200)
                .body("queryObservation", equalTo("obj2")).body("hits", hasSize(2))
                .body("hits.id", not(org.hamcrest.Matchers.hasItem("obj2")));
    }

    @Test
    void aVectorIsAQueryAndEuclideanReportsLengths() {
        float[] v = services.model().backend().vector(Target.OBSERVATIONS, "obj1").orElseThrow();
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            json.append(i == 0 ? "" : ",").append(v[i] * 2);
        }
        json.append(']');
        post("{\"vector\":" + json + ",\"k\":1,\"metric\":\"euclidean\"}").statusCode(200)
                .body("metric", equalTo("euclidean")).body("hits[0].id", equalTo("obj1"))
                .body("hits[0].distance", both(greaterThan(0.999f)).and(lessThan(1.001f))); // |2v - v| for a unit v
    }

    @Test
    void filtersNarrowTheHits() throws IOException {
        post("{\"image\":\"" + base64(coil(2, 45)) + "\",\"filter\":{\"minScore\":0.99}}").statusCode(200)
                .body("hits", emptyIterable());
        post("{\"image\":\"" + base64(coil(2, 45)) + "\",\"filter\":{\"clusters\":[\"c7\"]}}").statusCode(200)
                .body("hits", emptyIterable()); // nothing clustered yet
        post("{\"observationId\":\"obj1\",\"filter\":{\"minScore\":2}}").statusCode(400)
                .body("error", containsString("between -1 and 1"));
    }

    @Test
    void aNewUploadIsSearchableAtOnce() throws IOException {
        post("{\"observationId\":\"obj1\"}").statusCode(200); // the index is loaded
        Path target = data().resolve("buckets/viewfold-images/images/fresh/0.jpg");
        Files.createDirectories(target.getParent());
        Files.copy(coil(50, 0), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", "images/fresh/0.jpg").toString())
                .post(encode).then().statusCode(200);
        post("{\"image\":\"" + base64(coil(50, 5)) + "\",\"k\":1}").statusCode(200).body("hits[0].id", equalTo("fresh"));
        Files.delete(target);
        given().contentType(ContentType.JSON).body(S3Events.event("viewfold-images", "ObjectRemoved:Delete", "images/fresh/0.jpg").toString())
                .post(encode).then().statusCode(200);
    }

    @Test
    void everyClientMistakeIsA4xxThatNamesIt() {
        post("{\"image\": \"abc").statusCode(400).body("error", containsString("JSON"));
        post("[1,2]").statusCode(400).body("error", containsString("must be a JSON object"));
        post("{\"observationId\":\"obj1\",\"kk\":3}").statusCode(400)
                .body("error", containsString("unknown field 'kk'")).body("error", containsString("observationId"));
        post("{\"observationId\":\"obj1\",\"k\":\"ten\"}").statusCode(400).body("error", containsString("field 'k'"));
        post("{\"observationId\":\"obj1\",\"filter\":{\"clusterz\":[]}}").statusCode(400)
                .body("error", containsString("unknown field 'filter.clusterz'"));
        post("{\"image\":\"" + Base64.getEncoder().encodeToString("not a picture".getBytes()) + "\"}").statusCode(400)
                .body("error", startsWith("image cannot be used: "));
        post("{\"image\":\"***\"}").statusCode(400).body("error", containsString("image is not valid base64"));
        post("{\"vector\":[1,2,3]}").statusCode(400).body("error", containsString("vector has 3 values"))
                .body("error", containsString("1280 dimensions"));
        post("{\"vector\":[" + "0,".repeat(1279) + "0]}").statusCode(400).body("error", containsString("all zeros"));
        post("{\"imageId\":\"file:/nowhere.jpg\"}").statusCode(404).body("error", containsString("no image with id 'file:/nowhere.jpg'"));
        post("{\"observationId\":\"obj404\"}").statusCode(404).body("error", containsString("no observation with id 'obj404'"));
        post("{\"key\":\"images/none.jpg\"}").statusCode(404).body("error", containsString("no object with key 'images/none.jpg'"));
        post("{\"observationId\":\"obj1\",\"k\":0}").statusCode(400).body("error", containsString("k must be between 1 and 1000"));
        post("{\"observationId\":\"obj1\",\"k\":1001}").statusCode(400).body("error", containsString("k must be between 1 and 1000"));
        post("{\"observationId\":\"obj1\",\"target\":\"faces\"}").statusCode(400).body("error", containsString("unknown target 'faces'"));
        post("{\"observationId\":\"obj1\",\"metric\":\"manhattan\"}").statusCode(400).body("error", containsString("unknown metric 'manhattan'"));
        post("{\"observationId\":\"obj1\",\"imageId\":\"x\"}").statusCode(400)
                .body("error", containsString("give exactly one of")).body("error", containsString("got imageId, observationId"));
        post("{}").statusCode(400).body("error", containsString("give exactly one of"));
        post("{\"key\":\"../../../etc/passwd\"}").statusCode(400).body("error", containsString("not an object key"));
        post("{\"key\":\"/etc/passwd\"}").statusCode(400).body("error", containsString("not an object key"));
        post("{\"observationId\":\"obj1\",\"strategy\":\"bogus\"}").statusCode(400)
                .body("error", containsString("unknown aggregation strategy 'bogus'"));
        post("{\"observationId\":\"obj1\",\"filter\":{\"minScore\":\"NaN\"}}").statusCode(400)
                .body("error", containsString("filter.minScore"));
        post("{\"observationId\":\"obj1\",\"k\":2.5}").statusCode(400).body("error", containsString("field 'k'"));
        post("{\"observationId\":\"obj1\",\"k\":3.0}").statusCode(200).body("hits", hasSize(3)); // Python's 3.0
        post("{\"key\":\"images/../../x.jpg\"}").statusCode(400).body("error", containsString("not an object key"));
        post("{\"image\":\"" + "A".repeat(2 << 20) + "\"}").statusCode(413).body("error", containsString("too large"));
    }
}
