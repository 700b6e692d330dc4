package dev.viewfold.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * Turns a client's mistake into a 400 that says what is wrong: Funqy hands every exception a
 * function throws to Vert.x, which would answer 500. Only a {@link BadRequest} means the request
 * was bad; anything else stays a 500 (and is logged as the server fault it is).
 */
@ApplicationScoped
public class HttpErrors {

    private static final Logger LOG = Logger.getLogger(HttpErrors.class);

    void install(@Observes Router router, ObjectMapper json) {
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            Throwable failure = clientMistake(ctx.failure());
            if (failure != null && !ctx.response().headWritten()) {
                LOG.debugf("400 for %s: %s", ctx.request().path(), failure.getMessage());
                try {
                    ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                            .end(json.writeValueAsString(Map.of("error", failure.getMessage())));
                } catch (Exception e) {
                    ctx.next();
                }
            } else {
                ctx.next();
            }
        });
    }

    /** The {@link BadRequest} behind a failure (Funqy wraps what functions throw), or null. */
    static Throwable clientMistake(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BadRequest) {
                return t;
            }
        }
        return null;
    }
}
