package dev.viewfold.cli;

/** The command line is wrong: exit 2, with the message and the usage. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
