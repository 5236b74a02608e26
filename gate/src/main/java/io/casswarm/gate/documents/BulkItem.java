package io.casswarm.gate.documents;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.document.Document;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * The outcome of one document of a bulk create: 201 with the document, or an error status with
 * its problem.
 *
 * @param status   HTTP status this document would have had alone
 * @param document the created document, when created
 * @param problem  why not, otherwise
 */
@Introspected
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BulkItem(int status, @Nullable Document document, @Nullable ObjectNode problem) {

    /** The answer to a bulk create, one item per document in the order sent. */
    @Introspected
    public record Result(List<BulkItem> items) {
    }
}
