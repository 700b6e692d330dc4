package dev.viewfold.functions;

import dev.viewfold.errors.Refused;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * Turns a client's mistake into a 400 that says what is wrong: Funqy hands every exception a
 * function throws to Vert.x, which would answer 500. Only a {@link Refused} means the request
 * was bad; anything else stays a 500 (and is logged as the server fault it is).
 */
@ApplicationScoped
public class HttpErrors {

    private static final Logger LOG = Logger.getLogger(HttpErrors.class);

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    String maxBody;

    void install(@Observes Router router, ObjectMapper json) {
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            Refused failure = clientMistake(ctx.failure());
            if (failure == null && ctx.failure() == null && ctx.statusCode() == 400) {
                // Funqy could not bind the body (it logs why): the JSON itself is broken.
                failure = Refused.invalid("malformed JSON: the request body could not be read as this function's"
                        + " input (send a JSON object, or nothing to a function that takes none)");
            } else if (failure == null && ctx.statusCode() == 405) {
                failure = new Refused(Refused.Kind.METHOD_NOT_ALLOWED, "method not allowed: functions take POST (GET only without input)");
            } else if (failure == null && ctx.statusCode() == 413) {
                failure = Refused.tooLarge("request body too large: the limit is " + maxBody
                        + " (quarkus.http.limits.max-body-size)");
            }
            if (failure != null && !ctx.response().headWritten()) {
                String message = shortened(failure.getMessage());
                // The client's mistake, not ours: one line, not an ERROR with a stack trace.
                LOG.infof("%d %s %s: %s", failure.status(), ctx.request().method(), Refused.echo(ctx.request().path()),
                        message);
                try {
                    ctx.response().setStatusCode(failure.status()).putHeader("Content-Type", "application/json")
                            .end(json.writeValueAsString(Map.of("error", message)));
                } catch (Exception e) {
                    ctx.next();
                }
            } else {
                ctx.next();
            }
        });
    }

    /** Longest message answered: whatever a refusal quotes from the request, the answer stays small. */
    static final int MAX_MESSAGE = 2000;

    static String shortened(String message) {
        return message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + "… (" + message.length() + " characters)";
    }

    /** The {@link Refused} behind a failure (Funqy wraps what functions throw), or null. */
    static Refused clientMistake(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refused bad) {
                return bad;
            }
        }
        return null;
    }
}
