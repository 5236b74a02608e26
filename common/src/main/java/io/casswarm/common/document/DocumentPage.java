package io.casswarm.common.document;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/** One page of a collection listing; {@code nextCursor} is opaque and null on the last page. */
@Introspected
public record DocumentPage(List<Document> items, @Nullable String nextCursor) {
}
