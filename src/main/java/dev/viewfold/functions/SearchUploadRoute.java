package dev.viewfold.functions;

import dev.viewfold.errors.Refused;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.search.SearchQuery;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code POST /search/image}: the raw bytes of an uploaded file as the body, the options in the
 * query string ({@code ?k=5&target=images&cluster=c3&minScore=0.5&space=…}), the same answer as
 * {@code POST /search}. For clients that would rather not base64 a photo. Form and multipart bodies
 * are refused before they are parsed, and so is a parameter this route does not know.
 */
@ApplicationScoped
public class SearchUploadRoute {

    /** Resolved per request: the route is installed at start, the model loads on first use. */
    @Inject
    Instance<SearchFunction> search;

    @Inject
    ObjectMapper json;

    @Inject
    ViewfoldConfig config;

    static final Set<String> PARAMETERS = new TreeSet<>(Set.of("k", "target", "metric", "cluster", "label", "minScore",
            "excludeOwnObservation", "exact", "space", "strategy"));

    void install(@Observes Router router) {
        // A route of its own, first: Vert.x allows no handler before the body handler on one route.
        router.post("/search/image").order(-101).handler(SearchUploadRoute::refuseForms);
        router.post("/search/image").order(-100).handler(BodyHandler.create().setBodyLimit(-1)).blockingHandler(this::handle);
    }

    /** The body handler would read a form (curl's default type) as fields, not as the image. */
    private static void refuseForms(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String t = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("application/x-www-form-urlencoded") || t.startsWith("multipart/")) {
            ctx.fail(new Refused(Refused.Kind.UNSUPPORTED_MEDIA_TYPE, "send the image file itself as the body, with its own content type"
                    + " (e.g. Content-Type: image/jpeg; curl: --data-binary @photo.jpg -H 'Content-Type: image/jpeg'),"
                    + " not " + type));
        } else {
            ctx.next();
        }
    }

    private void handle(RoutingContext ctx) {
        try {
            byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            if (body.length == 0) {
                throw Refused.invalid("send the image file as the request body");
            }
            MultiMap p = ctx.queryParams();
            for (String name : p.names()) {
                if (!PARAMETERS.contains(name)) {
                    throw Refused.invalid("unknown query parameter '" + name + "'; known: " + String.join(", ", PARAMETERS));
                }
            }
            SearchRequest.Filter filter = new SearchRequest.Filter(
                    p.getAll("cluster").isEmpty() ? null : p.getAll("cluster"),
                    p.getAll("label").isEmpty() ? null : p.getAll("label"),
                    number(p, "minScore") == null ? null : number(p, "minScore").floatValue());
            Double k = number(p, "k");
            if (k != null && k != Math.rint(k)) {
                throw Refused.invalid("query parameter k must be a whole number (got '" + p.get("k") + "')");
            }
            SearchQuery query = QueryRequests.options(new SearchQuery.Images(List.of(body)),
                    k == null ? null : k.intValue(), p.get("target"), p.get("metric"), filter,
                    flag(p, "excludeOwnObservation"), flag(p, "exact"), p.get("strategy"), config.search());
            SearchResponse response = search.get().run(p.get("space"), query);
            ctx.response().putHeader("Content-Type", "application/json").end(json.writeValueAsString(response));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }

    private static Double number(MultiMap p, String name) {
        String v = p.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException e) {
            throw Refused.invalid("query parameter " + name + " must be a number (got '" + v + "')");
        }
    }

    private static Boolean flag(MultiMap p, String name) {
        String v = p.get(name);
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw Refused.invalid("query parameter " + name + " must be true or false (got '" + v + "')");
        }
        return Boolean.valueOf(v);
    }
}
