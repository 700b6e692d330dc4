package dev.viewfold.errors;

/**
 * A request Viewfold will not carry out as asked, and retrying it unchanged will not help: the
 * caller's mistake, or a state of the data the caller can change. The message says what is wrong in
 * words the caller can act on. Domain code throws it; each edge maps its {@link Kind} once (HTTP
 * status in {@code functions.HttpErrors}, exit code in {@code cli}). Anything else thrown is a fault
 * of ours, never reported to the caller as their mistake.
 */
public class Refused extends RuntimeException {

    /** What kind of refusal, each with its HTTP status. */
    public enum Kind {
        /** The request itself is wrong: a bad value, a missing field. */
        INVALID(400),
        /** Not from where it came: another site's page, a host name this server does not answer to. */
        FORBIDDEN(403),
        /** It names something that is not there: an id, a key, a space. */
        NOT_FOUND(404),
        /** The method is not one the route takes. */
        METHOD_NOT_ALLOWED(405),
        /** The data cannot answer yet, or another run holds it: no labels, a run in progress. */
        CONFLICT(409),
        /** A payload over a configured limit. */
        TOO_LARGE(413),
        /** A body of a type the route does not read. */
        UNSUPPORTED_MEDIA_TYPE(415),
        /** Not ready for this now (a space still being filled); the same request later will do. */
        UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Longest value echoed back in a message: a 1 MB id must not come back as a 1 MB error. */
    public static final int MAX_ECHO = 200;

    private final Kind kind;

    public Refused(Kind kind, String message) {
        super(message == null || message.isBlank() ? "bad request" : message);
        this.kind = kind;
    }

    public static Refused invalid(String message) {
        return new Refused(Kind.INVALID, message);
    }

    public static Refused invalid(String message, Throwable cause) {
        Refused r = invalid(message);
        r.initCause(cause);
        return r;
    }

    public static Refused notFound(String message) {
        return new Refused(Kind.NOT_FOUND, message);
    }

    public static Refused conflict(String message) {
        return new Refused(Kind.CONFLICT, message);
    }

    public static Refused tooLarge(String message) {
        return new Refused(Kind.TOO_LARGE, message);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return kind.status();
    }

    /** A value from the request as a message may quote it: cut short past {@value #MAX_ECHO} characters. */
    public static String echo(Object value) {
        String s = String.valueOf(value);
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "… (" + s.length() + " characters)";
    }
}
