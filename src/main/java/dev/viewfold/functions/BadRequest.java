package dev.viewfold.functions;

/** The request is wrong and retrying it will not help: answered with 400 and this message. */
public final class BadRequest extends RuntimeException {
    public BadRequest(String message) {
        super(message == null || message.isBlank() ? "bad request" : message);
    }
}
