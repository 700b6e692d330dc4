package dev.viewfold.bench;

import dev.viewfold.cluster.ClusterMap;
import dev.viewfold.cluster.MapPoint;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How long the web app's map takes to draw a frame with many points, measured in headless Chromium:
 * the page's own {@code performance.now()} round each redraw after wheel zooms and drag pans. The
 * cluster run's stand-alone page ({@code /map/}, one Canvas {@code arc} per point) is timed on the
 * same points in the same browser as the reference.
 *
 * <p>{@code ./mvnw -q -Pbench verify -Dbench=MapFrameBench -Dbench.args="100000 60"} (points, interactions)
 */
public final class MapFrameBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int interactions = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path root = Files.createTempDirectory("viewfold-map");
        Path data = root.resolve("data");
        Path latest = data.resolve("buckets/viewfold-images/maps/latest");
        Files.createDirectories(latest);
        byte[] points = ClusterMap.pointsJson(blobs(n, 40, new Random(7)));
        Files.write(latest.resolve("points.json"), points);
        Files.write(latest.resolve("index.html"), ClusterMap.page("bench", "bench", points, Map.of()));
        System.out.printf("map frames: %,d points (%.1f MB of points.json), %d interactions; load %s%n", n,
                points.length / 1e6, interactions, CrashHarness.load());

        int port = 18_733;
        Process serve = MixedLoadBench.spawn(data, List.of(), List.of("serve"), Map.of("VIEWFOLD_PORT", Integer.toString(port)), true);
        ChromeDriver browser = null;
        try {
            if (!CrashHarness.waitForLine(serve, "viewfold: serving on", 120)) {
                throw new IllegalStateException("serve did not start");
            }
            ChromeOptions options = new ChromeOptions().setBinary(new File("/usr/bin/chromium"))
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-background-networking", "--window-size=1280,1000");
            browser = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
            JavascriptExecutor js = browser;
            String base = "http://localhost:" + port + "/";

            long t0 = System.nanoTime();
            browser.get(base + "#/map");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
            wait.until(d -> js.executeScript("return window.viewfoldMap && window.viewfoldMap.frames.length > 0"));
            double firstPaint = (System.nanoTime() - t0) / 1e6;
            WebElement canvas = browser.findElement(By.id("map"));
            Random r = new Random(11);
            int w = canvas.getRect().getWidth(), h = canvas.getRect().getHeight();
            for (int i = 0; i < interactions; i++) {
                int x = r.nextInt(w / 2) - w / 4, y = r.nextInt(h / 2) - h / 4;
                if (i % 2 == 0) {
                    new Actions(browser).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(canvas, x, y), 0,
                            i % 4 == 0 ? -240 : 200).perform();
                } else {
                    new Actions(browser).moveToElement(canvas, x, y).clickAndHold().moveByOffset(40, 25)
                            .moveByOffset(40, 25).release().perform();
                }
                js.executeAsyncScript("requestAnimationFrame(() => requestAnimationFrame(arguments[arguments.length - 1]))");
            }
            @SuppressWarnings("unchecked")
            List<Number> frames = (List<Number>) js.executeScript("return window.viewfoldMap.frames");
            double[] app = frames.stream().skip(1).mapToDouble(Number::doubleValue).toArray();

            // The reference: the stand-alone page draws all points with one arc each.
            browser.get(base + "map/");
            wait.until(d -> js.executeScript("return document.getElementById('status').dataset.drawn !== undefined"));
            List<Double> reference = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                reference.add(((Number) js.executeScript(
                        "const t = performance.now(); draw(); return performance.now() - t;")).doubleValue());
            }
            double[] ref = reference.stream().mapToDouble(Double::doubleValue).toArray();

            System.out.printf("%nfirst paint after load: %.0f ms (fetch and parse of points.json included)%n%n", firstPaint);
            System.out.println("| page | frames | p50 ms | p95 ms | max ms |");
            System.out.println("|---|---:|---:|---:|---:|");
            row("web app map (ImageData)", app);
            row("/map/ page (Canvas arc per point)", ref);
            System.out.printf("%nload after: %s%n", CrashHarness.load());
        } finally {
            if (browser != null) {
                browser.quit();
            }
            serve.destroy();
        }
    }

    /** Gaussian blobs of uneven sizes, some noise: the shape a real map has. */
    static List<MapPoint> blobs(int n, int clusters, Random r) {
        double[][] centres = new double[clusters][2];
        for (double[] c : centres) {
            c[0] = r.nextDouble() * 20;
            c[1] = r.nextDouble() * 20;
        }
        List<MapPoint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean noise = r.nextDouble() < 0.1;
            int c = (int) Math.min(clusters - 1, Math.abs(r.nextGaussian()) * clusters / 2.5);
            float x = (float) (noise ? r.nextDouble() * 20 : centres[c][0] + r.nextGaussian() * 0.6);
            float y = (float) (noise ? r.nextDouble() * 20 : centres[c][1] + r.nextGaussian() * 0.6);
            out.add(new MapPoint("obs" + i, x, y, noise ? null : "c" + (c + 1), noise ? 0 : r.nextDouble(),
                    r.nextDouble(), null));
        }
        return out;
    }

    private static void row(String name, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", name, s.length, pct(s, 0.5), pct(s, 0.95), s[s.length - 1]);
    }

    private static double pct(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1) + 0.5))];
    }
}
