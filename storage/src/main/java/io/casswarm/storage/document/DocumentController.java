package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.contract.Contract;
import io.casswarm.common.document.BulkCreate;
import io.casswarm.common.document.BulkItemResult;
import io.casswarm.common.document.BulkResult;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
import io.casswarm.common.document.IdempotencyKey;
import io.casswarm.common.document.query.DocumentQuery;
import io.casswarm.common.document.query.Projection;
import io.casswarm.common.http.Preconditions;
import io.casswarm.common.problem.Problem;
import io.casswarm.storage.cassandra.CassandraFailures;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The internal documents API of docs/CONTRACT.md: HTTP mapping only, rules live in
 * {@link DocumentService}. Every write takes an {@code Idempotency-Key} (gate always sends one;
 * without it storage makes one, which only protects the request's own internal retries).
 */
@Controller("/internal/v1/tenants/{tenant}/collections/{collection}")
final class DocumentController {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    /** Rows the listing read from Cassandra (index and document rows): its cost, for tests and operators. */
    static final String ROWS_READ = "X-Casswarm-Rows-Read";
    private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor", "fields");

    private final DocumentService documents;

    DocumentController(DocumentService documents) {
        this.documents = documents;
    }

    @Post("/documents")
    CompletionStage<HttpResponse<Document>> create(@PathVariable String tenant, @PathVariable String collection,
                                                   @Body DocumentWrite write,
                                                   @Nullable @Header(IdempotencyKey.HEADER) String key) {
        return documents.create(tenant, collection, write, IdempotencyKey.parseOrGenerate(key)).thenApply(document ->
                withVersion(HttpResponse.created(document, location(tenant, collection, document.id())), document));
    }

    @Get("/documents/{id}")
    CompletionStage<HttpResponse<Document>> get(@PathVariable String tenant, @PathVariable String collection,
                                                @PathVariable String id, @Nullable @QueryValue String fields) {
        return documents.get(tenant, collection, id, fields).thenApply(document -> withVersion(HttpResponse.ok(document), document));
    }

    @Put("/documents/{id}")
    CompletionStage<HttpResponse<Document>> replace(@PathVariable String tenant, @PathVariable String collection,
                                                    @PathVariable String id, @Body DocumentWrite write,
                                                    @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                                    @Nullable @Header(IdempotencyKey.HEADER) String key) {
        return documents.replace(tenant, collection, id, write, Preconditions.ifMatch(ifMatch),
                        IdempotencyKey.parseOrGenerate(key))
                .thenApply(document -> withVersion(HttpResponse.ok(document), document));
    }

    @Patch(value = "/documents/{id}", consumes = MERGE_PATCH_JSON)
    CompletionStage<HttpResponse<Document>> patch(@PathVariable String tenant, @PathVariable String collection,
                                                  @PathVariable String id, @Body ObjectNode patch,
                                                  @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                                  @Nullable @Header(IdempotencyKey.HEADER) String key) {
        return documents.patch(tenant, collection, id, patch, Preconditions.ifMatch(ifMatch),
                        IdempotencyKey.parseOrGenerate(key))
                .thenApply(document -> withVersion(HttpResponse.ok(document), document));
    }

    @Delete("/documents/{id}")
    CompletionStage<HttpResponse<Void>> delete(@PathVariable String tenant, @PathVariable String collection,
                                               @PathVariable String id,
                                               @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                               @Nullable @Header(IdempotencyKey.HEADER) String key) {
        return documents.delete(tenant, collection, id, Preconditions.ifMatch(ifMatch),
                        IdempotencyKey.parseOrGenerate(key))
                .thenApply(done -> HttpResponse.noContent());
    }

    /** A page of the whole collection: {@code ?limit=&cursor=&fields=}. */
    @Get("/documents")
    CompletionStage<HttpResponse<DocumentPage>> list(@PathVariable String tenant, @PathVariable String collection,
                                                     @Nullable @QueryValue String limit,
                                                     @Nullable @QueryValue String cursor,
                                                     @Nullable @QueryValue String fields, HttpRequest<?> request) {
        for (String name : request.getParameters().names()) {
            if (!LIST_PARAMETERS.contains(name)) {
                throw InvalidDocumentException.invalid("unknown parameter '" + name + "': a listing takes limit, cursor"
                        + " and fields; filters go in POST .../documents/query");
            }
        }
        Projection projection = Projection.parse(fields);
        Integer size = Contract.parseLimit(limit);
        return query(tenant, collection, new DocumentQuery(List.of(), projection == null ? null : projection.paths(),
                size, cursor));
    }

    /** A page of the documents meeting every condition of the query (the model gate parsed). */
    @Post("/documents/query")
    CompletionStage<HttpResponse<DocumentPage>> query(@PathVariable String tenant, @PathVariable String collection,
                                                      @Body DocumentQuery query) {
        return documents.list(tenant, collection, query).thenApply(page ->
                HttpResponse.ok(documents.page(collection, page, query.fields()))
                        .header(ROWS_READ, String.valueOf(page.rowsRead())));
    }

    @Post("/bulk")
    CompletionStage<BulkResult> bulk(@PathVariable String tenant, @PathVariable String collection,
                                     @Body BulkCreate bulk, @Nullable @Header(IdempotencyKey.HEADER) String key) {
        String writeKey = IdempotencyKey.parseOrGenerate(key);
        return documents.bulkCreate(tenant, collection, bulk.documents(), writeKey).thenApply(outcomes -> {
            List<BulkItemResult> items = new ArrayList<>(outcomes.size());
            for (DocumentService.BulkOutcome outcome : outcomes) {
                if (outcome.failure() == null) {
                    items.add(new BulkItemResult(HttpStatus.CREATED.getCode(), outcome.document(), null));
                } else {
                    Problem problem = CassandraFailures.problem(outcome.failure());
                    items.add(new BulkItemResult(problem.status(), null, problem));
                }
            }
            return new BulkResult(items);
        });
    }

    private static MutableHttpResponse<Document> withVersion(MutableHttpResponse<Document> response, Document document) {
        return response.header(HttpHeaders.ETAG, Preconditions.etag(document.version()));
    }

    private static URI location(String tenant, String collection, String id) {
        // Tenant, collection and id were checked against patterns without reserved characters.
        return URI.create("/internal/v1/tenants/" + tenant + "/collections/" + collection + "/documents/" + id);
    }

}
