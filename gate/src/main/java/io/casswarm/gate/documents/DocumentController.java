package io.casswarm.gate.documents;

import io.casswarm.common.document.Document;
import io.casswarm.common.document.IdempotencyKey;
import io.casswarm.common.problem.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/**
 * The documents of the logged-in user's tenant. Another tenant's collections are out of reach:
 * the tenant is the session's user, never a parameter, so their documents are simply not found.
 */
@Controller("/api/v1/collections/{collection}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "documents")
@ApiResponse(responseCode = "400", description = "Malformed input",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "401", description = "No valid session",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "429", description = "Request rate limit reached; see Retry-After",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "Storage unavailable; see Retry-After",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class DocumentController {

    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String KEY_DOC = "The write's idempotency key (IETF httpapi draft), e.g. \"8e03978e-40d5-43e8-bc93-6894a57f9324\"."
            + " Sent again with the same request, the write is answered as applied and never applied twice;"
            + " with a different request, 422. edge adds one when absent.";

    private final DocumentService documents;

    DocumentController(DocumentService documents) {
        this.documents = documents;
    }

    @Operation(summary = "Create a document", description = "The body is the document, a JSON object. "
            + "The id is chosen by the server. Optional ttl (seconds) makes it expire.")
    @ApiResponse(responseCode = "201", description = "Created; Location and ETag set")
    @ApiResponse(responseCode = "413", description = "Document too large")
    @ApiResponse(responseCode = "415", description = "Not application/json")
    @Post("/documents")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(responseCode = "422", description = "Idempotency-Key already used for a different request")
    public HttpResponse<Document> create(Authentication user, @PathVariable String collection,
                                         @Nullable @QueryValue Integer ttl,
                                         @Parameter(description = KEY_DOC) @Nullable @Header(IdempotencyKey.HEADER) String key,
                                         @Nullable @Body byte[] body) {
        Document document = documents.create(user.getName(), collection, body, ttl, key(key));
        return created(document);
    }

    @Operation(summary = "Create (If-None-Match: *) or replace a document",
            description = "With If-None-Match: * it creates the document with this id (412 if it exists). "
                    + "Otherwise it replaces an existing document (404 if absent); If-Match makes that conditional.")
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "404", description = "No such document")
    @ApiResponse(responseCode = "412", description = "If-Match or If-None-Match failed")
    @Put("/documents/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<Document> put(Authentication user, @PathVariable String collection, @PathVariable String id,
                                      @Nullable @QueryValue Integer ttl,
                                      @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                      @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                                      @Parameter(description = KEY_DOC) @Nullable @Header(IdempotencyKey.HEADER) String key,
                                      @Nullable @Body byte[] body) {
        if (Preconditions.ifNoneMatchAny(ifNoneMatch, "on PUT, to create")) {
            if (ifMatch != null) {
                throw Names.invalid("If-Match and If-None-Match together make no sense on PUT");
            }
            return created(documents.createWithId(user.getName(), collection, id, body, ttl, key(key)));
        }
        Document document = documents.replace(user.getName(), collection, id, body, ttl,
                Preconditions.ifMatch(ifMatch), key(key));
        return withEtag(HttpResponse.ok(document), document);
    }

    @Operation(summary = "Read a document", description = "If-None-Match with the current ETag gives 304. "
            + "fields=a,b.c returns only those paths of the body.")
    @ApiResponse(responseCode = "200", description = "The document; ETag set")
    @ApiResponse(responseCode = "304", description = "Not modified")
    @ApiResponse(responseCode = "404", description = "No such document")
    @Get("/documents/{id}")
    public HttpResponse<Document> get(Authentication user, @PathVariable String collection, @PathVariable String id,
                                      @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                                      @Parameter(description = "projection: body paths to return, e.g. title,address.city")
                                      @Nullable @QueryValue String fields) {
        Document document = documents.get(user.getName(), collection, id, fields);
        if (Preconditions.noneMatchHits(ifNoneMatch, document.version())) {
            return withEtag(HttpResponse.status(HttpStatus.NOT_MODIFIED), document);
        }
        return withEtag(HttpResponse.ok(document), document);
    }

    @Operation(summary = "Change a document with a JSON merge patch (RFC 7396)")
    @ApiResponse(responseCode = "200", description = "Patched")
    @ApiResponse(responseCode = "404", description = "No such document")
    @ApiResponse(responseCode = "412", description = "If-Match failed")
    @ApiResponse(responseCode = "415", description = "Not application/merge-patch+json")
    @Patch("/documents/{id}")
    @Consumes(MERGE_PATCH)
    public HttpResponse<Document> patch(Authentication user, @PathVariable String collection, @PathVariable String id,
                                        @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                        @Parameter(description = KEY_DOC) @Nullable @Header(IdempotencyKey.HEADER) String key,
                                        @Nullable @Body byte[] body) {
        Document document = documents.patch(user.getName(), collection, id, body, Preconditions.ifMatch(ifMatch),
                key(key));
        return withEtag(HttpResponse.ok(document), document);
    }

    @Operation(summary = "Delete a document")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such document")
    @ApiResponse(responseCode = "412", description = "If-Match failed")
    @Delete("/documents/{id}")
    public HttpResponse<Void> delete(Authentication user, @PathVariable String collection, @PathVariable String id,
                                     @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                     @Parameter(description = KEY_DOC) @Nullable @Header(IdempotencyKey.HEADER) String key) {
        documents.delete(user.getName(), collection, id, Preconditions.ifMatch(ifMatch), key(key));
        return HttpResponse.noContent();
    }

    @Operation(summary = "List documents",
            description = "A page of the collection in a stable order, filtered by where (a JSON object: every "
                    + "member is a dotted path and what it must satisfy, all must hold) and projected by fields. "
                    + "Operators: $eq (or a bare value), $gt, $gte, $lt, $lte (numbers, strings, ISO-8601 timestamps; "
                    + "one ranged path per query), $in (up to 20 values, one $in per query), $exists: true. "
                    + "Every filter is served by an index; one that cannot be is a 400 naming it. "
                    + "The answer links the next page (also in a Link header).")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "page size, 1 to 100 (default 20)")
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "cursor from the previous page")
    @Parameter(name = "where", in = ParameterIn.QUERY, description = "filter, a JSON object (URL-encoded)",
            examples = {
                    @ExampleObject(name = "equality", value = "{\"status\":\"open\"}"),
                    @ExampleObject(name = "range", value = "{\"price\":{\"$gte\":10,\"$lt\":20}}"),
                    @ExampleObject(name = "timestamp", value = "{\"due\":{\"$lt\":\"2026-01-01T00:00:00Z\"}}"),
                    @ExampleObject(name = "in and nested", value = "{\"tags\":{\"$in\":[\"red\",\"blue\"]},"
                            + "\"address.city\":\"Lyon\"}"),
                    @ExampleObject(name = "exists", value = "{\"due\":{\"$exists\":true}}")})
    @Parameter(name = "fields", in = ParameterIn.QUERY, description = "projection: body paths to return, e.g. title,address.city")
    @ApiResponse(responseCode = "200", description = "A page")
    @Get("/documents")
    public HttpResponse<DocumentList> list(Authentication user, @PathVariable String collection,
                                           HttpRequest<?> request) {
        DocumentList page = documents.list(user.getName(), collection, request.getPath(),
                request.getParameters().asMap());
        MutableHttpResponse<DocumentList> response = HttpResponse.ok(page);
        if (page.next() != null) {
            response.header(HttpHeaders.LINK, "<" + page.next() + ">; rel=\"next\"");
        }
        return response;
    }

    @Operation(summary = "Create many documents",
            description = "{\"documents\": [{\"id\"?, \"body\": {...}, \"ttlSeconds\"?}, ...]}, 1 to 100. "
                    + "Each item has its own status (201, 409 …) in the answer.")
    @ApiResponse(responseCode = "200", description = "One outcome per document, in order")
    @Post("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    public BulkItem.Result bulk(Authentication user, @PathVariable String collection,
                                @Parameter(description = KEY_DOC) @Nullable @Header(IdempotencyKey.HEADER) String key,
                                @Nullable @Body byte[] body) {
        List<BulkItem> items = documents.bulk(user.getName(), collection, body, key(key));
        return new BulkItem.Result(items);
    }

    /** The request's key; one is made here for a caller that is not behind edge. */
    private static String key(@Nullable String header) {
        String key = IdempotencyKey.parse(header);
        return key == null ? IdempotencyKey.generate() : key;
    }

    private static HttpResponse<Document> created(Document document) {
        URI location = URI.create("/api/v1/collections/" + document.collection() + "/documents/" + document.id());
        return withEtag(HttpResponse.created(document, location), document);
    }

    private static <T> MutableHttpResponse<T> withEtag(MutableHttpResponse<T> response, Document document) {
        return response.header(HttpHeaders.ETAG, Preconditions.etag(document.version()));
    }
}
