package dev.viewfold.functions;

import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops Funqy's own report of a body it could not read as JSON: an ERROR with a 70-line stack
 * trace for what is the client's mistake. {@link HttpErrors} answers it with a 400 and logs it in one
 * line instead.
 */
@LoggingFilter(name = "client-mistakes")
public final class ClientMistakeLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return !("io.quarkus.funqy".equals(record.getLoggerName()) && message != null
                && message.startsWith("Failed to unmarshal input"));
    }
}
