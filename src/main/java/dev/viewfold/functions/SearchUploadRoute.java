package dev.viewfold.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * {@code POST /search/image}: the raw bytes of an uploaded file as the body, the options in the
 * query string ({@code ?k=5&target=images&cluster=c3&minScore=0.5}), the same answer as
 * {@code POST /search}. For clients that would rather not base64 a photo.
 */
@ApplicationScoped
public class SearchUploadRoute {

    /** Resolved per request: the route is installed at start, the model loads on first use. */
    @Inject
    Instance<SearchFunction> search;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.post("/search/image").order(-100).handler(BodyHandler.create().setBodyLimit(-1)).blockingHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        try {
            byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            if (body.length == 0) {
                throw new BadRequest("send the image file as the request body");
            }
            MultiMap p = ctx.queryParams();
            SearchRequest.Filter filter = new SearchRequest.Filter(
                    p.getAll("cluster").isEmpty() ? null : p.getAll("cluster"),
                    p.getAll("label").isEmpty() ? null : p.getAll("label"),
                    number(p, "minScore") == null ? null : number(p, "minScore").floatValue());
            Double k = number(p, "k");
            SearchQuery query = search.get().options(new SearchQuery.Images(List.of(body)),
                    k == null ? null : k.intValue(), p.get("target"), p.get("metric"), filter,
                    flag(p, "excludeOwnObservation"), flag(p, "exact"), null);
            SearchResponse response = search.get().run(query);
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
            throw new BadRequest("query parameter " + name + " must be a number (got '" + v + "')");
        }
    }

    private static Boolean flag(MultiMap p, String name) {
        String v = p.get(name);
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new BadRequest("query parameter " + name + " must be true or false (got '" + v + "')");
        }
        return Boolean.valueOf(v);
    }
}
