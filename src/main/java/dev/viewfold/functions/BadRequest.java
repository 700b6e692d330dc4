package dev.viewfold.functions;

/**
 * The request is wrong and retrying it will not help: answered with this status (400 unless said
 * otherwise; 404 for an id that is not there, 413 for a payload over the limit) and this message.
 */
public class BadRequest extends RuntimeException {

    private final int status;

    public BadRequest(String message) {
        this(400, message);
    }

    public BadRequest(int status, String message) {
        super(message == null || message.isBlank() ? "bad request" : message);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("not a client error status: " + status);
        }
        this.status = status;
    }

    public static BadRequest notFound(String message) {
        return new BadRequest(404, message);
    }

    /** A query the search service refused: 404 for what is not there, 413 for too large, else 400. */
    public static BadRequest of(dev.viewfold.search.QueryException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> notFound(e.getMessage());
            case TOO_LARGE -> new BadRequest(413, e.getMessage());
            case INVALID -> new BadRequest(e.getMessage());
        };
    }

    public int status() {
        return status;
    }
}
