package dev.viewfold.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.errors.Refused;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;


/**
 * Keeps the web pages a user happens to open from driving the local server. Before any route:
 * <ul>
 *   <li>the {@code Host} header must be one of {@code viewfold.http.allowed-hosts} (loopback by
 *       default): a DNS-rebinding page reaches us under its own name and is refused;</li>
 *   <li>a request from a page of another origin ({@code Origin}, or {@code Sec-Fetch-Site:
 *       cross-site}) is refused unless that origin is in {@code viewfold.http.allowed-origins};</li>
 *   <li>a write with a body must say it is JSON (or an image, where a route takes one): a
 *       cross-site form or {@code text/plain} post, which a browser sends without asking, is
 *       refused before it is read.</li>
 * </ul>
 * Refusals are 403 (415 for the body's type), with a sentence saying which setting allows it.
 */
@ApplicationScoped
public class BrowserGuard {

    private static final Logger LOG = Logger.getLogger(BrowserGuard.class);
    /** Routes that take the image itself as the body. */
    private static final Set<String> IMAGE_BODIES = Set.of("/search/image");

    @Inject
    ViewfoldConfig config;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    void check(RoutingContext ctx) {
        Refused refused = refusal(ctx);
        if (refused == null) {
            ctx.next();
            return;
        }
        LOG.debugf("%d for %s %s: %s", refused.status(), ctx.request().method(), ctx.request().path(),
                refused.getMessage());
        try {
            ctx.response().setStatusCode(refused.status()).putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(Map.of("error", refused.getMessage())));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }

    private Refused refusal(RoutingContext ctx) {
        String authority = authority(ctx);
        String host = hostName(authority);
        List<String> hosts = config.http().allowedHosts();
        if (!hosts.contains("*") && (host == null || hosts.stream().noneMatch(h -> h.equalsIgnoreCase(host)))) {
            return new Refused(Refused.Kind.FORBIDDEN, "host '" + Refused.echo(host) + "' is not a name this server"
                    + " answers to (viewfold.http.allowed-hosts: " + String.join(", ", hosts) + ")");
        }
        String origin = ctx.request().getHeader("Origin");
        boolean crossSite = "cross-site".equalsIgnoreCase(ctx.request().getHeader("Sec-Fetch-Site"));
        if ((origin != null && !sameOrigin(origin, authority) || crossSite)
                && !allowedOrigin(origin)) {
            return new Refused(Refused.Kind.FORBIDDEN, "requests from pages of " + (origin == null ? "another site"
                    : "'" + Refused.echo(origin) + "'") + " are refused (allow an origin with"
                    + " viewfold.http.allowed-origins)");
        }
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS && hasBody(ctx)) {
            String type = contentType(ctx);
            boolean image = IMAGE_BODIES.contains(ctx.request().path());
            boolean ok = type.equals("application/json") || type.endsWith("+json")
                    || image && (type.startsWith("image/") || type.equals("application/octet-stream"));
            if (!ok && !(image && type.startsWith("multipart/") || image && type.startsWith("application/x-www-form"))) {
                return new Refused(Refused.Kind.UNSUPPORTED_MEDIA_TYPE, "send " + (image ? "the image with its own"
                        + " type (Content-Type: image/jpeg)" : "JSON with Content-Type: application/json")
                        + (type.isEmpty() ? "" : ", not " + Refused.echo(type)));
            }
        }
        return null;
    }

    private boolean allowedOrigin(String origin) {
        return origin != null && config.http().allowedOrigins().orElse(List.of()).stream()
                .anyMatch(o -> o.equals("*") || o.equalsIgnoreCase(origin.replaceAll("/+$", "")));
    }

    /**
     * Where the request was sent: its Host header, or in HTTP/2 (a client that upgraded, as Java's
     * own HTTP client does) the {@code :authority} that takes its place.
     */
    private static String authority(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        if (host == null && ctx.request().authority() != null) {
            var a = ctx.request().authority();
            String name = a.host().contains(":") && !a.host().startsWith("[") ? "[" + a.host() + "]" : a.host();
            host = a.port() >= 0 ? name + ":" + a.port() : name;
        }
        return host;
    }

    /** The origin names the same scheme-less host and port the request came to: the server's own page. */
    private static boolean sameOrigin(String origin, String hostHeader) {
        try {
            URI o = URI.create(origin);
            String authority = o.getRawAuthority();
            return authority != null && hostHeader != null && authority.equalsIgnoreCase(hostHeader)
                    && ("http".equals(o.getScheme()) || "https".equals(o.getScheme()));
        } catch (IllegalArgumentException e) { // "null" (a sandboxed page) or garbage: not ours
            return false;
        }
    }

    private static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String h = hostHeader.trim();
        if (h.startsWith("[")) { // [::1]:8080
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(1, close);
        }
        int colon = h.lastIndexOf(':');
        return colon > 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
    }

    private static boolean hasBody(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        return ctx.request().getHeader("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
    }

    private static String contentType(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }
}
