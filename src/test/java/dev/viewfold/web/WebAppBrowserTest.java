package dev.viewfold.web;

import dev.viewfold.testing.S3Events;
import dev.viewfold.testing.Shared;
import dev.viewfold.testing.TestData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web app in a real browser (Debian's headless Chromium through chromedriver) against the
 * server on loopback, over a small COIL-100 collection: six objects, each seen as three
 * observations (30° apart) of three views 5° apart, and one observation with a stranger's photo among its views
 * and a photo of obj17 filed under it by mistake.
 * A screenshot of each page is kept under {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(WebAppBrowserTest.Profile.class)
class WebAppBrowserTest {

    static final Path DATA = Path.of("target/test-data/web").toAbsolutePath();
    static final Path SHOTS = Path.of("target/screenshots");
    static final int[] OBJECTS = {1, 3, 5, 17, 25, 42};
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static boolean seeded;
    static WebDriver browser;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestData.wipeOnce(DATA, "test.web.data.wiped");
            // A collection this small clusters only with small clusters and neighbourhoods.
            return Map.of("viewfold.data", DATA.toString(), "viewfold.search.refresh", "0s",
                    "viewfold.cluster.neighbours", "5", "viewfold.cluster.min-cluster-size", "3",
                    "viewfold.cluster.min-samples", "2");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && System.getenv("CI") == null) {
            Assumptions.abort("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        }
        assertTrue(installed, "CI must install chromium and chromium-driver (.ci/run)");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-extensions", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void seed() throws IOException {
        if (seeded) {
            return;
        }
        List<String> keys = new ArrayList<>();
        String[] sides = {"a", "b", "c"};
        for (int obj : OBJECTS) {
            for (int s = 0; s < sides.length; s++) {
                for (int step = 0; step < 3; step++) {
                    int angle = 30 * s + 5 * step;
                    keys.add(upload("obj" + obj + "-" + sides[s], angle + ".jpg", coil(obj, angle)));
                }
            }
        }
        for (int angle : new int[] {0, 5, 10, 15}) {
            keys.add(upload("obj9-mixed", angle + ".jpg", coil(9, angle)));
        }
        keys.add(upload("obj9-mixed", "stranger.jpg", coil(60, 0)));
        keys.add(upload("obj9-mixed", "moved.jpg", coil(17, 15))); // obj17-a holds 0°, 5° and 10°
        given().contentType(ContentType.JSON).body(S3Events.created("viewfold-images", keys.toArray(String[]::new))
                .toString()).post(root + "encode").then().statusCode(200).body("encoded", equalTo(keys.size()));
        given().contentType(ContentType.JSON).body("{}").post(root + "cluster").then().log().ifValidationFails()
                .statusCode(200);
        seeded = true;
    }

    private static String upload(String observation, String name, Path source) throws IOException {
        Path target = DATA.resolve("buckets/viewfold-images/images/" + observation + "/" + name);
        Files.createDirectories(target.getParent());
        Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return "images/" + observation + "/" + name;
    }

    static Path coil(int obj, int angle) {
        return Shared.dataset("coil100/images/obj" + obj + "__" + angle + ".jpg");
    }

    private void open(String hash) {
        // A fresh document each time: what one scenario left in the page cannot help the next.
        browser.get(root + "?visit=" + System.nanoTime() + "#/" + hash);
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String errorShown() {
        WebElement error = browser.findElement(By.id("error"));
        return error.isDisplayed() ? error.getText() : "";
    }

    @Test
    void aPickedPhotoFindsItsObjectFirstAndTheKeyboardAloneCanSearchFromAStoredItem() throws IOException {
        open("search");
        // A view none of the observations holds (50°): its own object must still come first.
        browser.findElement(By.id("photos")).sendKeys(coil(17, 50).toString());
        WebElement first = waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results .hit")));
        assertTrue(first.getDomAttribute("data-observation").startsWith("obj17-"), first.getDomAttribute("data-observation"));
        assertTrue(first.findElement(By.cssSelector(".score")).getText().matches("0\\.\\d{3}"));
        assertTrue(first.findElement(By.tagName("img")).getDomAttribute("src").startsWith("/map/thumb?id="));
        screenshot("search");

        // Keyboard only: the box, Enter; the state lands in the URL, so the search can be shared.
        browser.findElement(By.cssSelector("form.controls button[type=button]")).click(); // clear the photo
        WebElement from = browser.findElement(By.id("from"));
        from.clear();
        from.sendKeys("obs:obj5-a", Keys.ENTER);
        waiting().until(ExpectedConditions.urlContains("q=obs%3Aobj5-a"));
        waiting().until(d -> !d.findElements(By.cssSelector("#results .hit")).isEmpty()
                && d.findElement(By.id("summary")).getText().contains("hits"));
        String best = browser.findElements(By.cssSelector("#results .hit")).get(0).getDomAttribute("data-observation");
        assertTrue(best.startsWith("obj5-") && !best.equals("obj5-a"), best);
        assertEquals("", errorShown());
    }

    @Test
    void anObservationShowsItsStrangersViewFlaggedAndItsLabelsCanBeEdited() throws IOException {
        open("observation/obj9-mixed");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#views .card.flagged")));
        List<String> flagged = browser.findElements(By.cssSelector("#views .card.flagged")).stream()
                .map(e -> e.getDomAttribute("data-image")).sorted().toList();
        assertEquals(2, flagged.size(), flagged.toString());
        assertTrue(flagged.get(0).endsWith("moved.jpg") && flagged.get(1).endsWith("stranger.jpg"), flagged.toString());
        assertEquals(6, browser.findElements(By.cssSelector("#views .card")).size());
        // The photo of obj17 says where it belongs, as a link to that observation.
        WebElement home = browser.findElement(By.cssSelector("#views .card.flagged[data-image$='moved.jpg'] .likely-home a"));
        assertEquals("obj17-a", home.getText());
        assertTrue(home.getDomAttribute("href").endsWith("#/observation/obj17-a"), home.getDomAttribute("href"));
        assertFalse(browser.findElement(By.id("explanation")).getText().isBlank());
        waiting().until(d -> !d.findElements(By.cssSelector("#nearest .hit")).isEmpty());

        WebElement label = browser.findElement(By.id("new-label"));
        label.sendKeys("mug", Keys.ENTER);
        waiting().until(d -> !d.findElements(By.cssSelector("#labels [data-label=mug]")).isEmpty());
        given().contentType(ContentType.JSON).body("{\"observationId\":\"obj9-mixed\"}").post(root + "observation")
                .then().statusCode(200).body("labels", hasItem("mug"));
        screenshot("observation");
        browser.findElement(By.cssSelector("#labels [data-label=mug] button")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#labels [data-label=mug]")).isEmpty());
        given().contentType(ContentType.JSON).body("{\"observationId\":\"obj9-mixed\"}").post(root + "observation")
                .then().statusCode(200).body("labels", org.hamcrest.Matchers.not(hasItem("mug")));
    }

    @Test
    void aLassoOnTheMapFillsTheGridAndSearchesFromTheSelection() throws IOException {
        open("map");
        WebElement canvas = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("map")));
        waiting().until(d -> ((JavascriptExecutor) d).executeScript(
                "return window.viewfoldMap && window.viewfoldMap.frames.length > 0"));
        int width = canvas.getRect().getWidth(), height = canvas.getRect().getHeight();
        // Shift-drag a loop round the whole map: every observation is selected.
        new Actions(browser).moveToElement(canvas, -width / 2 + 3, -height / 2 + 3).keyDown(Keys.SHIFT).clickAndHold()
                .moveByOffset(width - 6, 0).moveByOffset(0, height - 6).moveByOffset(-(width - 6), 0)
                .moveByOffset(0, -(height - 8)).release().keyUp(Keys.SHIFT).perform();
        WebElement heading = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#selection h2")));
        assertEquals("19 selected", heading.getText());
        assertEquals(19, browser.findElements(By.cssSelector("#selected .card")).size());
        screenshot("map");

        // A wheel zoom redraws in well under a frame's budget here (the 100k-point figure is a benchmark).
        new Actions(browser).scrollFromOrigin(org.openqa.selenium.interactions.WheelInput.ScrollOrigin.fromElement(canvas),
                0, -300).perform();
        Number frame = (Number) ((JavascriptExecutor) browser).executeScript("return window.viewfoldMap.lastFrameMs");
        assertTrue(frame.doubleValue() < 50, frame + " ms");

        // Label the selection: each observation gets the label, the page counts them off.
        browser.findElement(By.id("selection-label")).sendKeys("shelf-2");
        browser.findElement(By.id("label-selection")).click();
        waiting().until(d -> d.findElement(By.id("selection-progress")).getText().equals("labelled 19 of 19"));
        given().contentType(ContentType.JSON).body("{\"observationId\":\"obj42-b\"}").post(root + "observation")
                .then().statusCode(200).body("labels", hasItem("shelf-2"));

        browser.findElement(By.id("search-selection")).click();
        waiting().until(ExpectedConditions.urlContains("q=sel%3A"));
        waiting().until(d -> d.findElement(By.id("summary")).getText().contains("hits") || !errorShown().isEmpty());
        assertEquals("", errorShown());
        assertEquals(19, browser.getCurrentUrl().split("%2C").length);
        // Everything was selected, and a selection's own members are left out: nothing else is like them.
        assertTrue(browser.findElement(By.id("summary")).getText().startsWith("0 hits"));
    }

    @Test
    void theClusterGalleryShowsEachClusterWithItsTypicalAndOutlyingMembers() throws IOException {
        open("clusters");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("changes")));
        List<WebElement> clusters = waiting().until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#gallery .group"));
            return found.isEmpty() ? null : found;
        });
        assertTrue(clusters.size() >= 2, clusters.size() + " clusters");
        assertFalse(clusters.get(0).findElements(By.tagName("figure")).isEmpty());
        assertTrue(browser.findElement(By.id("changes")).getText().contains("births: c"));
        screenshot("clusters");
    }

    @Test
    void aDuplicateGroupDecisionIsStoredAndNothingIsDeleted() throws IOException {
        int images = given().get(root + "stats").then().statusCode(200).extract().path("images");
        open("duplicates");
        WebElement group = waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#groups .duplicate")));
        assertTrue(browser.findElement(By.cssSelector("#calibration tr.current")).getText().startsWith("0.92"));
        group.findElements(By.cssSelector("button.keep")).get(0).click();
        waiting().until(d -> group.findElement(By.cssSelector(".decided")).getText().startsWith("decided: keep"));
        given().get(root + "decisions").then().statusCode(200)
                .body("decisions.decision", hasItem("keep-one"));
        screenshot("duplicates");

        // The decision is there on the next visit, and every photo still is.
        open("duplicates");
        waiting().until(d -> d.findElements(By.cssSelector("#groups .duplicate[data-decision=keep-one]")).size() == 1);
        given().get(root + "stats").then().statusCode(200).body("images", equalTo(images));
    }

    @Test
    void anApiErrorIsShownInWords() throws IOException {
        open("search?q=obs:no-such-thing");
        waiting().until(d -> !errorShown().isEmpty());
        assertTrue(errorShown().contains("no-such-thing") && errorShown().contains("404"), errorShown());
        screenshot("error");
        open("search?q=obs:obj1-a&k=5000");
        waiting().until(d -> errorShown().contains("k"));
        assertTrue(errorShown().contains("400"), errorShown());
        open("observation/nobody");
        waiting().until(d -> errorShown().contains("nobody"));
    }

    /** The routes the page added answer mistakes with a 4xx that says what is wrong, as curl users get. */
    @Test
    void thePagesRoutesRefuseMistakesInWordsAndASelectionLeavesItselfOut() {
        given().contentType(ContentType.JSON).body("{\"ids\":[\"a\"],\"decision\":\"not-duplicates\"}")
                .post(root + "decide").then().statusCode(400).body("error", containsString("two or more"));
        given().contentType(ContentType.JSON).body("{\"ids\":[\"a\",\"b\"],\"decision\":\"keep-one\",\"keep\":\"c\"}")
                .post(root + "decide").then().statusCode(400).body("error", containsString("one of the group's ids"));
        given().contentType(ContentType.JSON).body("{\"ids\":[\"a\",\"b\"],\"decision\":\"delete\"}")
                .post(root + "decide").then().statusCode(400).body("error", containsString("keep-one"));
        given().contentType(ContentType.JSON).body("{}").post(root + "observation").then().statusCode(400)
                .body("error", containsString("observationId is required"));
        given().contentType(ContentType.JSON).body("{\"observationId\":\"obj1-a\",\"space\":\"elsewhere\"}")
                .post(root + "observation").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"observationIds\":[]}").post(root + "search").then()
                .statusCode(400).body("error", containsString("observationIds must hold between 1 and"));
        given().contentType(ContentType.JSON).body("{\"observationIds\":[\"obj1-a\",\"nobody\"]}")
                .post(root + "search").then().statusCode(404).body("error", containsString("nobody"));
        // Three observations of one object, searched together: the answer is the object, without them.
        given().contentType(ContentType.JSON)
                .body("{\"observationIds\":[\"obj25-a\",\"obj25-b\"],\"k\":3,\"excludeOwnObservation\":true}")
                .post(root + "search").then().log().ifValidationFails().statusCode(200)
                .body("hits", org.hamcrest.Matchers.hasSize(3))
                .body("hits[0].observationId", equalTo("obj25-c"))
                .body("hits.observationId", org.hamcrest.Matchers.not(hasItem("obj25-a")))
                .body("hits.observationId", org.hamcrest.Matchers.not(hasItem("obj25-b")));
        given().get(root + "spaces").then().statusCode(200).body("model", org.hamcrest.Matchers.startsWith("mobilenetv2"));
        given().get(root + "status").then().statusCode(200).body("encoding.encoded", org.hamcrest.Matchers.greaterThan(0))
                .body("running", org.hamcrest.Matchers.empty());
        given().get(root).then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script src=\"app.js\">"));
    }
}
