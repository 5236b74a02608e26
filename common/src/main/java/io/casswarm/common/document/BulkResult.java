package io.casswarm.common.document;

import io.micronaut.core.annotation.Introspected;

import java.util.List;

/** Results of a bulk create, one per requested document, in request order. */
@Introspected
public record BulkResult(List<BulkItemResult> items) {
}
