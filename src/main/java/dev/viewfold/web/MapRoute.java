package dev.viewfold.web;

import dev.viewfold.search.ImageLinks;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ContentTypes;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.ObjectStores;
import dev.viewfold.store.VectorTable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The latest cluster map over HTTP: {@code GET /map/} (the page), {@code /map/points.json},
 * {@code /map/summary.json}, and {@code /map/thumb?id=<image id>} for the page's hover thumbnails
 * (the file itself locally, a redirect to a presigned link on S3; only ids the table knows).
 */
@ApplicationScoped
public class MapRoute {

    private static final long MAX_PAGE_BYTES = 512L << 20;

    @Inject
    ObjectStores stores;

    @Inject
    VectorTable table;

    /** Resolved per request: routes are installed at start, before any command has checked the model. */
    @Inject
    Instance<Spaces> spaces;

    @Inject
    ImageLinks links;

    void install(@Observes Router router) {
        // Vert.x matches "/map" and "/map/" alike; the page's relative links need the slash.
        router.get("/map").blockingHandler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                latest(ctx, "index.html");
            } else {
                ctx.redirect("/map/");
            }
        });
        router.get("/map/points.json").blockingHandler(ctx -> latest(ctx, "points.json"));
        router.get("/map/summary.json").blockingHandler(ctx -> latest(ctx, "summary.json"));
        router.get("/map/thumb").blockingHandler(this::thumb);
    }

    private void latest(RoutingContext ctx, String name) {
        ObjectStore bucket = stores.uploads();
        try {
            byte[] bytes = bucket.get(BucketLayout.LATEST_MAP + name, MAX_PAGE_BYTES).bytes();
            ctx.response().putHeader("Content-Type", ContentTypes.of(name)).end(io.vertx.core.buffer.Buffer.buffer(bytes));
        } catch (ObjectStore.ObjectNotFoundException e) {
            text(ctx, 404, "no cluster map yet: run the cluster command (or POST /cluster) first");
        } catch (IOException e) {
            ctx.fail(e);
        }
    }

    private void thumb(RoutingContext ctx) {
        String id = ctx.queryParams().get("id");
        if (id == null || id.isBlank()) {
            text(ctx, 400, "query parameter id (an image id) is required");
            return;
        }
        if (table.findImage(spaces.get().model().id(), id).isEmpty()) {
            text(ctx, 404, "no image with id " + dev.viewfold.errors.Refused.echo(id));
            return;
        }
        try {
            if (id.startsWith("file:")) {
                Path file = Path.of(URI.create(id));
                ctx.response().putHeader("Content-Type", ContentTypes.of(file.getFileName().toString()))
                        .putHeader("Cache-Control", "max-age=3600")
                        .end(io.vertx.core.buffer.Buffer.buffer(Files.readAllBytes(file)));
            } else {
                ctx.redirect(links.link(id));
            }
        } catch (IOException | IllegalArgumentException e) {
            text(ctx, 404, "image " + dev.viewfold.errors.Refused.echo(id) + " cannot be read: " + e.getMessage());
        }
    }

    private static void text(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
    }
}
