package dev.viewfold.search;

/** A search that cannot be answered as asked: the caller's mistake, with a message that names it. */
public final class QueryException extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND, TOO_LARGE }

    private final Kind kind;

    public QueryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static QueryException invalid(String message) {
        return new QueryException(Kind.INVALID, message);
    }

    public static QueryException notFound(String message) {
        return new QueryException(Kind.NOT_FOUND, message);
    }

    public Kind kind() {
        return kind;
    }
}
