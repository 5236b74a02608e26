package io.casswarm.common.document;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/** Body of a bulk create: up to the configured maximum (100) documents, each created independently. */
@Introspected
public record BulkCreate(@Nullable List<DocumentWrite> documents) {
}
