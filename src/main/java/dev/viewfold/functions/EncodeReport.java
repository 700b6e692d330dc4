package dev.viewfold.functions;

import dev.viewfold.encode.EncodeOutcome;

import java.util.List;

/** What the encode function did with one event: counts, then one line per object. */
public record EncodeReport(long encoded, long unchanged, long relabelled, long failed, long missing, long removed, int ignored,
                           String space, List<EncodeOutcome> outcomes) {
}
