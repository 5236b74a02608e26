package io.casswarm.gate.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.document.BulkCreate;
import io.casswarm.common.document.BulkResult;
import io.casswarm.common.document.Document;
import io.casswarm.common.document.DocumentPage;
import io.casswarm.common.document.IdempotencyKey;
import io.casswarm.common.http.Preconditions;
import io.casswarm.common.problem.Problem;
import io.casswarm.gate.storage.StoredDocument;
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
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * The documents of the logged-in user's tenant: HTTP mapping only, {@link DocumentService}
 * holds what gate decides. A document read, replaced or patched is answered with storage's JSON as
 * it came ({@link StoredDocument}); the operations' annotations name its schema. Another tenant's
 * collections are out of reach: the tenant is the session's user, never a parameter, so their
 * documents are simply not found. The OpenAPI
 * annotations describe every status an operation can answer; the shared problem answers and
 * headers are in src/main/openapi/shared.yml.
 *
 * <p>No operation blocks a thread: each answers the future of its storage call, and runs on the
 * thread that brings the request to it (an event loop), without a hand-off to the blocking
 * executor. Under load every hand-off between threads waits for a core (docs/PERFORMANCE.md,
 * "Run-queue wait").
 */
@Controller("/api/v1/collections/{collection}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "documents")
@SecurityRequirement(name = "session")
@ApiResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
@ApiResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
@ApiResponse(responseCode = "406", ref = "#/components/responses/NotAcceptable")
@ApiResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
@ApiResponse(responseCode = "503", ref = "#/components/responses/Unavailable")
public class DocumentController {

    static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String KEY = "The write's idempotency key (IETF httpapi draft), e.g. \"8e03978e-40d5-43e8-bc93-6894a57f9324\"."
            + " Sent again with the same request, the write is answered as applied and never applied twice;"
            + " with a different request, 422. edge adds one when absent.";
    private static final String IF_MATCH = "\"N\" makes the write conditional on version N (412 otherwise); * or absent: none";
    private static final String TTL = "seconds until the document expires, 1 to 630720000; none when absent";

    private final DocumentService documents;

    DocumentController(DocumentService documents) {
        this.documents = documents;
    }

    @Operation(operationId = "createDocument", summary = "Create a document",
            description = "The body is the document, a JSON object (at most 1 MiB as compact JSON, 32 levels deep). "
                    + "Its id is derived from the Idempotency-Key, so the same request sent again is the same document.")
    @ApiResponse(responseCode = "201", description = "Created",
            headers = {@io.swagger.v3.oas.annotations.headers.Header(name = "ETag", ref = "#/components/headers/ETag"),
                    @io.swagger.v3.oas.annotations.headers.Header(name = "Location", ref = "#/components/headers/Location")},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Document.class)))
    @ApiResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/IdempotencyKeyReused")
    @Post("/documents")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<Document>> create(Authentication user, @PathVariable String collection,
                                         @Parameter(description = TTL) @Nullable @QueryValue Integer ttl,
                                         @Parameter(description = KEY) @Nullable @Header(IdempotencyKey.HEADER) String key,
                                         @Body ObjectNode body) {
        return documents.create(user.getName(), collection, body, ttl, IdempotencyKey.parseOrGenerate(key))
                .thenApply(DocumentController::created);
    }

    @Operation(operationId = "putDocument", summary = "Create (If-None-Match: *) or replace a document",
            description = "With If-None-Match: * it creates the document with this id (412 if it exists). "
                    + "Otherwise it replaces the body (and the expiry) of an existing document (404 if absent); "
                    + "If-Match makes that conditional.")
    @ApiResponse(responseCode = "200", description = "Replaced",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "ETag", ref = "#/components/headers/ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Document.class)))
    @ApiResponse(responseCode = "201", description = "Created (If-None-Match: *)",
            headers = {@io.swagger.v3.oas.annotations.headers.Header(name = "ETag", ref = "#/components/headers/ETag"),
                    @io.swagger.v3.oas.annotations.headers.Header(name = "Location", ref = "#/components/headers/Location")},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Document.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/IdempotencyKeyReused")
    @Put("/documents/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> put(Authentication user, @PathVariable String collection, @PathVariable String id,
                                      @Parameter(description = TTL) @Nullable @QueryValue Integer ttl,
                                      @Parameter(description = IF_MATCH) @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                      @Parameter(description = "* creates the document with this id, 412 if it exists")
                                      @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                                      @Parameter(description = KEY) @Nullable @Header(IdempotencyKey.HEADER) String key,
                                      @Body ObjectNode body) {
        String writeKey = IdempotencyKey.parseOrGenerate(key);
        if (Preconditions.ifNoneMatchAny(ifNoneMatch)) {
            if (ifMatch != null) {
                throw io.casswarm.common.contract.Contract.invalid("If-Match and If-None-Match together make no sense on PUT");
            }
            return documents.createWithId(user.getName(), collection, id, body, ttl, writeKey)
                    .thenApply(DocumentController::created);
        }
        return documents.replace(user.getName(), collection, id, body, ttl, Preconditions.ifMatch(ifMatch), writeKey)
                .thenApply(document -> withEtag(HttpResponse.ok(document.json()), document.version()));
    }

    @Operation(operationId = "getDocument", summary = "Read a document",
            description = "If-None-Match with its current ETag gives 304. fields=a,b.c returns only those paths of the body.")
    @ApiResponse(responseCode = "200", description = "The document",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "ETag", ref = "#/components/headers/ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Document.class)))
    @ApiResponse(responseCode = "304", description = "Not modified: the version If-None-Match named is current",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "ETag", ref = "#/components/headers/ETag"))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @Get("/documents/{id}")
    public CompletableFuture<HttpResponse<byte[]>> get(Authentication user, @PathVariable String collection, @PathVariable String id,
                                      @Parameter(description = "entity tags (or *); a match gives 304")
                                      @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                                      @Parameter(description = "projection: body paths to return, e.g. title,address.city")
                                      @Nullable @QueryValue String fields) {
        return documents.get(user.getName(), collection, id, fields).thenApply(document ->
                Preconditions.ifNoneMatchHits(ifNoneMatch, document.version())
                        ? withEtag(HttpResponse.<byte[]>status(HttpStatus.NOT_MODIFIED), document.version())
                        : withEtag(HttpResponse.ok(document.json()), document.version()));
    }

    @Operation(operationId = "patchDocument", summary = "Change a document with a JSON merge patch (RFC 7396)",
            description = "Members of the patch replace those of the body, null removes one; the expiry is kept.")
    @ApiResponse(responseCode = "200", description = "Patched",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "ETag", ref = "#/components/headers/ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Document.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    @ApiResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/IdempotencyKeyReused")
    @Patch("/documents/{id}")
    @Consumes(MERGE_PATCH)
    public CompletableFuture<HttpResponse<byte[]>> patch(Authentication user, @PathVariable String collection, @PathVariable String id,
                                        @Parameter(description = IF_MATCH) @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                        @Parameter(description = KEY) @Nullable @Header(IdempotencyKey.HEADER) String key,
                                        @Body ObjectNode patch) {
        return documents.patch(user.getName(), collection, id, patch, Preconditions.ifMatch(ifMatch),
                        IdempotencyKey.parseOrGenerate(key))
                .thenApply(document -> withEtag(HttpResponse.ok(document.json()), document.version()));
    }

    @Operation(operationId = "deleteDocument", summary = "Delete a document")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "412", ref = "#/components/responses/PreconditionFailed")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/IdempotencyKeyReused")
    // No body on success, problem+json on failure: an Accept of application/problem+json alone (what a
    // client generated from the document sends here) is one this route can satisfy, not a 406.
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Delete("/documents/{id}")
    public CompletableFuture<HttpResponse<Void>> delete(Authentication user, @PathVariable String collection, @PathVariable String id,
                                     @Parameter(description = IF_MATCH) @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                     @Parameter(description = KEY) @Nullable @Header(IdempotencyKey.HEADER) String key) {
        return documents.delete(user.getName(), collection, id, Preconditions.ifMatch(ifMatch),
                IdempotencyKey.parseOrGenerate(key)).thenApply(done -> HttpResponse.noContent());
    }

    @Operation(operationId = "listDocuments", summary = "List documents",
            description = "A page of the collection in a stable order, filtered by where (a JSON object: every "
                    + "member is a dotted path and what it must satisfy, all must hold) and projected by fields. "
                    + "Operators: $eq (or a bare value), $gt, $gte, $lt, $lte (numbers, strings, ISO-8601 timestamps; "
                    + "one ranged path per query), $in (up to 20 values, one $in per query), $exists: true. "
                    + "Every filter is served by an index; one that cannot be is a 400 naming it. "
                    + "The Link header names the next page; any other query parameter is a 400.")
    @ApiResponse(responseCode = "200", description = "A page; nextCursor is null on the last",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "Link", ref = "#/components/headers/Link"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DocumentPage.class)))
    @Get("/documents")
    public CompletableFuture<HttpResponse<DocumentPage>> list(Authentication user, @PathVariable String collection, HttpRequest<?> request,
                                           @Parameter(description = "page size, 1 to 1000 (default 50)")
                                           @Nullable @QueryValue Integer limit,
                                           @Parameter(description = "nextCursor of the previous page")
                                           @Nullable @QueryValue String cursor,
                                           @Parameter(description = "filter, a JSON object (URL-encoded), e.g. "
                                                   + "{\"status\":\"open\"}, {\"price\":{\"$gte\":10,\"$lt\":20}}, "
                                                   + "{\"due\":{\"$lt\":\"2026-01-01T00:00:00Z\"}}, "
                                                   + "{\"tags\":{\"$in\":[\"red\",\"blue\"]},\"address.city\":\"Lyon\"}, "
                                                   + "{\"due\":{\"$exists\":true}}")
                                           @Nullable @QueryValue String where,
                                           @Parameter(description = "projection: body paths to return, e.g. title,address.city")
                                           @Nullable @QueryValue String fields) {
        return documents.list(user.getName(), collection, request.getPath(), request.getParameters().asMap(), limit,
                cursor, where, fields).thenApply(listing -> {
                    MutableHttpResponse<DocumentPage> response = HttpResponse.ok(listing.page());
                    if (listing.next() != null) {
                        response.header(HttpHeaders.LINK, "<" + listing.next() + ">; rel=\"next\"");
                    }
                    return response;
                });
    }

    @Operation(operationId = "bulkCreateDocuments", summary = "Create many documents",
            description = "1 to 100 documents, each created on its own: the answer has one item per document, in order, "
                    + "with its status (201, or 409 when the id exists...). One item breaking a rule refuses the whole "
                    + "request (400 or 413 naming it) and nothing is written.")
    @ApiResponse(responseCode = "200", description = "One outcome per document, in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BulkResult.class)))
    @ApiResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @Post("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletableFuture<BulkResult> bulk(Authentication user, @PathVariable String collection,
                           @Parameter(description = KEY) @Nullable @Header(IdempotencyKey.HEADER) String key,
                           @Body BulkCreate bulk) {
        return documents.bulk(user.getName(), collection, bulk, IdempotencyKey.parseOrGenerate(key));
    }

    private static HttpResponse<Document> created(Document document) {
        URI location = URI.create("/api/v1/collections/" + document.collection() + "/documents/" + document.id());
        return withEtag(HttpResponse.created(document, location), document.version());
    }

    private static <T> MutableHttpResponse<T> withEtag(MutableHttpResponse<T> response, long version) {
        return response.header(HttpHeaders.ETAG, Preconditions.etag(version));
    }
}
