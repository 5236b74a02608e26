package io.casswarm.storage.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.casswarm.common.document.BulkCreate;
import io.casswarm.common.document.BulkItemResult;
import io.casswarm.common.document.BulkResult;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.DocumentWrite;
import io.casswarm.common.problem.Problem;
import io.casswarm.storage.http.Problems;
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

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/** The internal documents API of docs/CONTRACT.md: HTTP mapping only, rules live in {@link DocumentService}. */
@Controller("/internal/v1/tenants/{tenant}/collections/{collection}")
final class DocumentController {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    private static final String FILTER_PREFIX = "filter.";

    private final DocumentService documents;
    private final Problems problems;

    DocumentController(DocumentService documents, Problems problems) {
        this.documents = documents;
        this.problems = problems;
    }

    @Post("/documents")
    CompletionStage<HttpResponse<Document>> create(@PathVariable String tenant, @PathVariable String collection,
                                                   @Body DocumentWrite write) {
        return documents.create(tenant, collection, write).thenApply(document ->
                withVersion(HttpResponse.created(document, location(tenant, collection, document.id())), document));
    }

    @Get("/documents/{id}")
    CompletionStage<HttpResponse<Document>> get(@PathVariable String tenant, @PathVariable String collection,
                                                @PathVariable String id) {
        return documents.get(tenant, collection, id).thenApply(document -> withVersion(HttpResponse.ok(document), document));
    }

    @Put("/documents/{id}")
    CompletionStage<HttpResponse<Document>> replace(@PathVariable String tenant, @PathVariable String collection,
                                                    @PathVariable String id, @Body DocumentWrite write,
                                                    @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        return documents.replace(tenant, collection, id, write, Versions.parseIfMatch(ifMatch))
                .thenApply(document -> withVersion(HttpResponse.ok(document), document));
    }

    @Patch(value = "/documents/{id}", consumes = MERGE_PATCH_JSON)
    CompletionStage<HttpResponse<Document>> patch(@PathVariable String tenant, @PathVariable String collection,
                                                  @PathVariable String id, @Body JsonNode patch,
                                                  @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        return documents.patch(tenant, collection, id, patch, Versions.parseIfMatch(ifMatch))
                .thenApply(document -> withVersion(HttpResponse.ok(document), document));
    }

    @Delete("/documents/{id}")
    CompletionStage<HttpResponse<Void>> delete(@PathVariable String tenant, @PathVariable String collection,
                                               @PathVariable String id,
                                               @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        return documents.delete(tenant, collection, id, Versions.parseIfMatch(ifMatch))
                .thenApply(done -> HttpResponse.noContent());
    }

    @Get("/documents")
    CompletionStage<DocumentPage> list(@PathVariable String tenant, @PathVariable String collection,
                                       HttpRequest<?> request) {
        var parameters = request.getParameters();
        Map<String, String> filters = new TreeMap<>();
        for (String name : parameters.names()) {
            if (name.startsWith(FILTER_PREFIX)) {
                filters.put(name.substring(FILTER_PREFIX.length()), parameters.get(name));
            }
        }
        return documents.list(tenant, collection, parameters.get("limit"), parameters.get("cursor"), filters);
    }

    @Post("/bulk")
    CompletionStage<BulkResult> bulk(@PathVariable String tenant, @PathVariable String collection,
                                     @Body BulkCreate bulk) {
        return documents.bulkCreate(tenant, collection, bulk.documents()).thenApply(outcomes -> {
            List<BulkItemResult> items = new ArrayList<>(outcomes.size());
            for (DocumentService.BulkOutcome outcome : outcomes) {
                if (outcome.failure() == null) {
                    items.add(new BulkItemResult(HttpStatus.CREATED.getCode(), outcome.document(), null));
                } else {
                    Problem problem = problems.of(outcome.failure());
                    items.add(new BulkItemResult(problem.status(), null, problem));
                }
            }
            return new BulkResult(items);
        });
    }

    private static MutableHttpResponse<Document> withVersion(MutableHttpResponse<Document> response, Document document) {
        return response.header(HttpHeaders.ETAG, Versions.etag(document.version()));
    }

    private static URI location(String tenant, String collection, String id) {
        // Tenant, collection and id were checked against patterns without reserved characters.
        return URI.create("/internal/v1/tenants/" + tenant + "/collections/" + collection + "/documents/" + id);
    }

}
