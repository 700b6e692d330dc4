package dev.viewfold.encode;

/** This image cannot be encoded; the message is the reason stored in its failed row. */
public final class BadImageException extends Exception {
    public BadImageException(String reason) {
        super(reason);
    }
}
