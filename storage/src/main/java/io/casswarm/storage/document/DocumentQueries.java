package io.casswarm.storage.document;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import io.casswarm.common.document.query.Condition;
import io.casswarm.common.document.query.DocumentQuery;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs a listing: a page of a collection in token order, after a cursor, filtered by the
 * conditions of a {@link DocumentQuery}, every condition served by an index:
 * <ul>
 *   <li>$eq and $exists: one SAI query on the document rows ({@code listed = ? AND eqs CONTAINS
 *       ? AND paths CONTAINS ? ...}); SAI intersects the indexes itself.</li>
 *   <li>$in: one such query per value (SAI in 5.0.9 has neither IN nor OR), merged in token order.</li>
 *   <li>a range: an SAI query on the index rows of that path ({@code field = ? AND num > ? ...}),
 *       joined with the document-row stream by leapfrogging in token order: the stream that is
 *       behind seeks ({@code token >= t}) to the other's position, as SAI does within a query.</li>
 * </ul>
 * Every stream reads a page-sized chunk at a time, so a page costs reads in proportion to its
 * size (and, for joins, to the matches of the more selective side in its token range); no
 * document is read that an index did not name. The cursor is the position of the last
 * document returned: its token and id.
 */
@Singleton
final class DocumentQueries {

    private static final String CURSOR_PREFIX = "2:";

    private final DocumentRepository repository;

    DocumentQueries(DocumentRepository repository) {
        this.repository = repository;
    }

    /** A page of stored documents, the cursor of the next page (null on the last), rows read. */
    record Page(List<StoredDocument> documents, @Nullable String nextCursor, long rowsRead) {
    }

    /** Blocks on the driver: run it on a blocking thread. */
    Page run(String scope, DocumentQuery query, int size) {
        Counter counter = new Counter();
        int chunk = size + 1;
        Stream stream = plan(scope, query.where(), chunk, counter);
        Position after = decode(query.cursor());
        if (after != null) {
            stream.seekAfter(after);
        }
        List<Candidate> page = new ArrayList<>();
        // One more than asked: tells whether there is a next page, without an empty last page.
        // Rows found dead (expired, deleted) do not count, so a page never ends early.
        while (page.size() <= size) {
            List<Candidate> batch = new ArrayList<>();
            while (batch.size() < size + 1 - page.size()) {
                Candidate next = stream.peek();
                if (next == null) {
                    break;
                }
                stream.advance();
                batch.add(next);
            }
            if (batch.isEmpty()) {
                break;
            }
            load(scope, batch, counter);
            for (Candidate candidate : batch) {
                if (candidate.document != null && candidate.document.live()) {
                    page.add(candidate);
                }
            }
        }
        boolean more = page.size() > size;
        List<Candidate> items = more ? page.subList(0, size) : page;
        String cursor = more ? encode(items.get(items.size() - 1).position) : null;
        return new Page(items.stream().map(candidate -> candidate.document).toList(), cursor, counter.rows);
    }

    // ---- plan -------------------------------------------------------------------------------

    private Stream plan(String scope, List<Condition> where, int chunk, Counter counter) {
        TreeSet<String> eqs = new TreeSet<>();
        TreeSet<String> paths = new TreeSet<>();
        List<String> anyOf = null;
        List<Condition> range = new ArrayList<>();
        for (Condition condition : where) {
            switch (condition.op()) {
                case EQ -> eqs.add(IndexEntries.eq(condition.path(), condition.value()));
                case EXISTS -> paths.add(condition.path());
                case IN -> anyOf = condition.values().stream()
                        .map(value -> IndexEntries.eq(condition.path(), value)).distinct().toList();
                default -> range.add(condition);
            }
        }
        Stream documents;
        if (anyOf == null) {
            documents = documentStream(scope, eqs, paths, chunk, counter);
        } else {
            List<Stream> alternatives = new ArrayList<>();
            for (String entry : anyOf) {
                TreeSet<String> with = new TreeSet<>(eqs);
                with.add(entry);
                alternatives.add(documentStream(scope, with, paths, chunk, counter));
            }
            documents = alternatives.size() == 1 ? alternatives.get(0) : new Union(alternatives);
        }
        if (range.isEmpty()) {
            return documents;
        }
        Stream ranged = rangeStream(scope, range, chunk, counter);
        boolean unfiltered = eqs.isEmpty() && paths.isEmpty() && anyOf == null;
        return unfiltered ? ranged : new Join(ranged, documents);
    }

    private Stream documentStream(String scope, TreeSet<String> eqs, TreeSet<String> paths, int chunk,
                                  Counter counter) {
        StringBuilder cql = new StringBuilder("SELECT token(scope, id) AS t, " + DocumentRepository.DOC_COLUMNS
                + " FROM " + repository.table() + " WHERE listed = ?");
        List<Object> values = new ArrayList<>();
        values.add(scope);
        for (String entry : eqs) {
            cql.append(" AND eqs CONTAINS ?");
            values.add(entry);
        }
        for (String path : paths) {
            cql.append(" AND paths CONTAINS ?");
            values.add(path);
        }
        return new IndexStream(cql + " AND token(scope, id) >= ? LIMIT ?", values, chunk, counter, true);
    }

    private Stream rangeStream(String scope, List<Condition> bounds, int chunk, Counter counter) {
        String path = bounds.get(0).path();
        DocumentQuery.RangeKind kind = DocumentQuery.rangeKind(bounds.get(0).value());
        for (Condition bound : bounds) {
            if (DocumentQuery.rangeKind(bound.value()) != kind) {
                throw InvalidDocumentException.invalid(path + ": both bounds of a range must be numbers, strings or"
                        + " timestamps alike");
            }
        }
        String column = switch (kind) {
            case NUMBER -> "num";
            case STRING -> "str";
            case TIMESTAMP -> "ts";
        };
        StringBuilder cql = new StringBuilder("SELECT token(scope, id) AS t, id FROM " + repository.table()
                + " WHERE field = ?");
        List<Object> values = new ArrayList<>();
        values.add(scope + "/" + path);
        for (Condition bound : bounds) {
            cql.append(" AND ").append(column).append(switch (bound.op()) {
                case GT -> " > ?";
                case GTE -> " >= ?";
                case LT -> " < ?";
                case LTE -> " <= ?";
                default -> throw new IllegalStateException(bound.op().toString());
            });
            values.add(operand(kind, bound.value()));
        }
        return new IndexStream(cql + " AND token(scope, id) >= ? LIMIT ?", values, chunk, counter, false);
    }

    private static Object operand(DocumentQuery.RangeKind kind, JsonNode value) {
        return switch (kind) {
            case NUMBER -> IndexEntries.decimal(value);
            case STRING -> IndexEntries.ordered(value.textValue());
            case TIMESTAMP -> DocumentQuery.timestamp(value.textValue());
        };
    }

    /** Reads the document rows of candidates that came from index rows, in parallel. */
    private void load(String scope, List<Candidate> batch, Counter counter) {
        String[] parts = scope.split("/", 2);
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (Candidate candidate : batch) {
            if (candidate.document == null && !candidate.loaded) {
                candidate.loaded = true;
                counter.rows++;
                reads.add(repository.find(new DocumentKey(parts[0], parts[1], candidate.position.id))
                        .thenAccept((Optional<StoredDocument> found) -> candidate.document = found.orElse(null))
                        .toCompletableFuture());
            }
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
    }

    // ---- cursor -----------------------------------------------------------------------------

    static String encode(Position position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (CURSOR_PREFIX + position.token + ":" + position.id).getBytes(StandardCharsets.UTF_8));
    }

    static @Nullable Position decode(@Nullable String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX)) {
                int colon = text.indexOf(':', CURSOR_PREFIX.length());
                if (colon > 0 && colon < text.length() - 1) {
                    return new Position(Long.parseLong(text.substring(CURSOR_PREFIX.length(), colon)),
                            text.substring(colon + 1));
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw InvalidDocumentException.invalid("cursor is not one this API returned (cursors of the earlier"
                + " layout are no longer valid: list again from the start)");
    }

    // ---- streams ----------------------------------------------------------------------------

    /** Where a row is in the listing order: token, then id (two partitions may share a token). */
    record Position(long token, String id) implements Comparable<Position> {
        @Override
        public int compareTo(Position other) {
            int byToken = Long.compare(token, other.token);
            return byToken != 0 ? byToken : id.compareTo(other.id);
        }
    }

    /** A row an index named, with its document row when the index read it too. */
    static final class Candidate {
        final Position position;
        @Nullable StoredDocument document;
        boolean loaded;

        Candidate(Position position, @Nullable StoredDocument document) {
            this.position = position;
            this.document = document;
            this.loaded = document != null;
        }
    }

    /** Candidates in position order. */
    interface Stream {
        @Nullable Candidate peek();

        void advance();

        /** Skips to the first candidate at or after {@code position}. */
        void seek(Position position);

        /** Skips to the first candidate after {@code position} (a cursor). */
        void seekAfter(Position position);
    }

    private static final class Counter {
        long rows;
    }

    /** One SAI query, read a chunk at a time from a position on. */
    private final class IndexStream implements Stream {
        private final String cql;
        private final List<Object> values;
        private final int chunk;
        private final Counter counter;
        private final boolean documentRows;
        private final Deque<Candidate> buffer = new ArrayDeque<>();
        private Position from = new Position(Long.MIN_VALUE, "");
        private boolean inclusive = true;
        private boolean exhausted;

        IndexStream(String cql, List<Object> values, int chunk, Counter counter, boolean documentRows) {
            this.cql = cql;
            this.values = values;
            this.chunk = chunk;
            this.counter = counter;
            this.documentRows = documentRows;
        }

        @Override
        public @Nullable Candidate peek() {
            while (buffer.isEmpty() && !exhausted) {
                fetch();
            }
            return buffer.peekFirst();
        }

        @Override
        public void advance() {
            Candidate done = buffer.pollFirst();
            if (done != null) {
                from = done.position;
                inclusive = false;
            }
        }

        @Override
        public void seek(Position position) {
            skip(position, true);
        }

        @Override
        public void seekAfter(Position position) {
            skip(position, false);
        }

        private void skip(Position position, boolean keepEqual) {
            while (!buffer.isEmpty()) {
                int cmp = buffer.peekFirst().position.compareTo(position);
                if (cmp > 0 || (cmp == 0 && keepEqual)) {
                    return;
                }
                buffer.pollFirst();
            }
            if (position.compareTo(from) > 0 || (position.compareTo(from) == 0 && !keepEqual)) {
                // (an exhausted stream stays exhausted: nothing lies beyond where it ended)
                from = position;
                inclusive = keepEqual;
            }
        }

        private void fetch() {
            // token >= (not >): two partitions may share a token; the row at the position
            // itself comes back too when it is excluded, so ask for one more then.
            int limit = inclusive ? chunk : chunk + 1;
            List<Object> bound = new ArrayList<>(values);
            bound.add(from.token);
            bound.add(limit);
            AsyncResultSet rows = repository.read(cql, bound, limit).toCompletableFuture().join();
            int count = 0;
            for (Row row : rows.currentPage()) {
                count++;
                counter.rows++;
                Position position = new Position(row.getLong("t"), row.getString("id"));
                int cmp = position.compareTo(from);
                if (cmp < 0 || (cmp == 0 && !inclusive)) {
                    continue;
                }
                buffer.addLast(new Candidate(position, documentRows ? DocumentRepository.stored(row) : null));
            }
            exhausted = count < limit;
            if (!buffer.isEmpty()) {
                from = buffer.peekLast().position;
                inclusive = false;
            } else if (!exhausted) {
                // A whole chunk at one token (hash collisions): go on after it.
                from = new Position(from.token == Long.MAX_VALUE ? from.token : from.token + 1, "");
                inclusive = true;
            }
        }
    }

    /** Candidates of any of several streams ($in), each once. */
    private static final class Union implements Stream {
        private final List<Stream> streams;

        Union(List<Stream> streams) {
            this.streams = streams;
        }

        @Override
        public @Nullable Candidate peek() {
            Candidate min = null;
            for (Stream stream : streams) {
                Candidate head = stream.peek();
                if (head != null && (min == null || head.position.compareTo(min.position) < 0)) {
                    min = head;
                }
            }
            return min;
        }

        @Override
        public void advance() {
            Candidate min = peek();
            if (min == null) {
                return;
            }
            for (Stream stream : streams) {
                Candidate head = stream.peek();
                if (head != null && head.position.compareTo(min.position) == 0) {
                    stream.advance();
                }
            }
        }

        @Override
        public void seek(Position position) {
            streams.forEach(stream -> stream.seek(position));
        }

        @Override
        public void seekAfter(Position position) {
            streams.forEach(stream -> stream.seekAfter(position));
        }
    }

    /** Candidates of both streams (a range joined with equality conditions), leapfrogging. */
    private static final class Join implements Stream {
        private final Stream ranged;
        private final Stream documents;

        Join(Stream ranged, Stream documents) {
            this.ranged = ranged;
            this.documents = documents;
        }

        @Override
        public @Nullable Candidate peek() {
            while (true) {
                Candidate a = ranged.peek();
                Candidate b = documents.peek();
                if (a == null || b == null) {
                    return null;
                }
                int cmp = a.position.compareTo(b.position);
                if (cmp == 0) {
                    return b;
                }
                if (cmp < 0) {
                    ranged.seek(b.position);
                } else {
                    documents.seek(a.position);
                }
            }
        }

        @Override
        public void advance() {
            if (peek() != null) {
                ranged.advance();
                documents.advance();
            }
        }

        @Override
        public void seek(Position position) {
            ranged.seek(position);
            documents.seek(position);
        }

        @Override
        public void seekAfter(Position position) {
            ranged.seekAfter(position);
            documents.seekAfter(position);
        }
    }

}
