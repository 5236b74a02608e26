package io.casswarm.gate.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.contract.Contract;
import io.casswarm.common.document.BulkCreate;
import io.casswarm.common.document.BulkResult;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
import io.casswarm.common.document.query.DocumentQuery;
import io.casswarm.common.document.query.Projection;
import io.casswarm.common.document.query.WhereSyntax;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import io.casswarm.gate.storage.Futures;
import io.casswarm.gate.storage.StorageDocumentClient;
import io.casswarm.gate.storage.StoredDocument;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The documents of one tenant, the tenant being the session's user. Bodies arrive bound to
 * common's wire types and go to storage as they are: storage checks every rule of the contract
 * and its answer (a document, a page, a problem) is the answer. What gate itself decides is the
 * public API's shape around it: {@code If-None-Match: *} on PUT as a create (a taken id is 412),
 * the {@code where} syntax, and the link to the next page. A document read or written is passed on
 * as storage wrote it ({@link StoredDocument}).
 */
@Singleton
public class DocumentService {

    /** The query parameters of a listing; any other is a 400, so a typo never silently lists everything. */
    private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor", "where", "fields");

    private final StorageDocumentClient storage;

    DocumentService(StorageDocumentClient storage) {
        this.storage = storage;
    }

    /** POST: a new document whose id storage derives from the idempotency key (a retry is the same document). */
    public CompletableFuture<Document> create(String tenant, String collection, @Nullable ObjectNode body,
                                              @Nullable Integer ttl, String key) {
        return storage.create(tenant, collection, new DocumentWrite(null, body, ttl), key);
    }

    /** PUT with {@code If-None-Match: *}: a new document with the client's id; 412 if it exists. */
    public CompletableFuture<Document> createWithId(String tenant, String collection, String id,
                                                    @Nullable ObjectNode body, @Nullable Integer ttl, String key) {
        return storage.create(tenant, collection, new DocumentWrite(Contract.documentId(id), body, ttl), key)
                .exceptionallyCompose(failure -> {
                    Throwable cause = Futures.cause(failure);
                    return CompletableFuture.failedFuture(cause instanceof ProblemException e
                            && e.problem().status() == ProblemType.CONFLICT.status()
                            ? new ProblemException(ProblemType.PRECONDITION_FAILED,
                                    "If-None-Match: * but document " + id + " exists")
                            : cause);
                });
    }

    public CompletableFuture<StoredDocument> get(String tenant, String collection, String id, @Nullable String fields) {
        return storage.find(tenant, collection, id, fields).thenApply(found -> found.orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "no document '" + id + "' in collection '" + collection + "'")));
    }

    public CompletableFuture<StoredDocument> replace(String tenant, String collection, String id,
                                                     @Nullable ObjectNode body, @Nullable Integer ttl,
                                                     @Nullable Long ifMatch, String key) {
        return storage.replace(tenant, collection, id, new DocumentWrite(null, body, ttl), ifMatch, key);
    }

    public CompletableFuture<StoredDocument> patch(String tenant, String collection, String id,
                                                   @Nullable ObjectNode patch, @Nullable Long ifMatch, String key) {
        if (patch == null) {
            throw Contract.invalid("a merge patch (a JSON object) is required");
        }
        return storage.patch(tenant, collection, id, patch, ifMatch, key);
    }

    public CompletableFuture<Void> delete(String tenant, String collection, String id, @Nullable Long ifMatch,
                                          String key) {
        return storage.delete(tenant, collection, id, ifMatch, key);
    }

    /**
     * A page of the collection: {@code where} (the filter, a JSON object: {@link WhereSyntax}),
     * {@code fields} (the projection), {@code limit} and {@code cursor}, each at most once.
     *
     * @param path       the request's path, for the link to the next page
     * @param parameters every query parameter the request has, to refuse unknown or repeated ones
     */
    public CompletableFuture<Listing> list(String tenant, String collection, String path,
                                           Map<String, List<String>> parameters, @Nullable Integer limit,
                                           @Nullable String cursor, @Nullable String where, @Nullable String fields) {
        parameters.forEach((name, values) -> {
            if (!LIST_PARAMETERS.contains(name)) {
                throw Contract.invalid("unknown query parameter " + abbreviate(name) + ": a listing takes limit, cursor,"
                        + " where (a JSON filter such as where={\"status\":\"open\"}) and fields");
            }
            if (values.size() != 1) {
                throw Contract.invalid("query parameter " + name + " must be given once");
            }
        });
        Projection projection = Projection.parse(fields);
        DocumentQuery query = new DocumentQuery(WhereSyntax.parse(where),
                projection == null ? null : projection.paths(), limit, cursor);
        return storage.list(tenant, collection, query).thenApply(page -> new Listing(page,
                page.nextCursor() == null ? null : nextLink(path, limit, page.nextCursor(), where, fields)));
    }

    /** Bulk create: storage checks every item first (one bad item refuses the request) and answers each. */
    public CompletableFuture<BulkResult> bulk(String tenant, String collection, @Nullable BulkCreate bulk, String key) {
        if (bulk == null) {
            throw Contract.invalid("a bulk create is {\"documents\": [ ... ]}");
        }
        return storage.bulk(tenant, collection, bulk, key);
    }

    /** A page and the link to the next one (null on the last page). */
    public record Listing(DocumentPage page, @Nullable String next) {
    }

    private static String nextLink(String path, @Nullable Integer limit, String cursor, @Nullable String where,
                                   @Nullable String fields) {
        StringBuilder link = new StringBuilder(path).append("?cursor=").append(encode(cursor));
        if (limit != null) {
            link.append("&limit=").append(limit);
        }
        if (where != null) {
            link.append("&where=").append(encode(where));
        }
        if (fields != null) {
            link.append("&fields=").append(encode(fields));
        }
        return link.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
