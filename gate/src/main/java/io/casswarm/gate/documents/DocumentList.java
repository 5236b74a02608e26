package io.casswarm.gate.documents;

import io.casswarm.common.document.Document;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * One page of a collection.
 *
 * @param items      the documents of this page
 * @param nextCursor opaque cursor of the next page, null on the last page
 * @param next       the link to the next page (same filters and limit), null on the last page
 */
@Introspected
public record DocumentList(List<Document> items, @Nullable String nextCursor, @Nullable String next) {
}
