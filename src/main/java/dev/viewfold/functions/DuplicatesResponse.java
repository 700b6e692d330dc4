package dev.viewfold.functions;

import dev.viewfold.search.NearDuplicates;
import dev.viewfold.search.SearchResult;

import java.util.List;

/**
 * The answer of {@code POST /duplicates}: {@code matches} for one query, {@code groups} for the collection.
 *
 * @param groupCount groups found in all (the list may be cut at the limit)
 */
public record DuplicatesResponse(String space, String target, float threshold, List<SearchResult.Hit> matches,
                                 List<NearDuplicates.Group> groups, Integer groupCount) {
}
