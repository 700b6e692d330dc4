package dev.viewfold.encode;

/** The model file or its spec is unusable; start-up must stop and say why. */
public final class ModelSpecException extends RuntimeException {
    public ModelSpecException(String message) {
        super(message);
    }

    public ModelSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
