package io.casswarm.common.logging.es;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * An append-only, segmented on-disk FIFO of {@link LogRecord}s: where events wait while
 * Elasticsearch is unreachable. Used by ONE thread (the shipper); not thread-safe.
 *
 * <h2>Files in the spool directory</h2>
 * <ul>
 *   <li>{@code segment-<19 digits>.log}: records, oldest segment first. A record is
 *       {@code int length | int crc32(payload) | payload}, big-endian, where payload is
 *       {@code short idLength | id (UTF-8) | event JSON (UTF-8)}.</li>
 *   <li>{@code cursor}: {@code "<segment> <offset>"}, the first record not yet delivered;
 *       replaced atomically (write + rename) after every delivered bulk.</li>
 *   <li>{@code spool.lock}: an OS file lock; two processes never share a spool.</li>
 * </ul>
 *
 * <h2>Durability (fsync policy)</h2>
 * Appends are written to the file at once (so they survive the process being killed: the OS
 * keeps the page cache), and {@code fsync}ed at most every {@code fsyncIntervalMillis}
 * (0 = after every append), on segment roll and on close. A power loss of the host can thus lose
 * up to that interval of spooled events. The cursor is not fsynced: after a power loss it may be
 * older than the truth, which only re-sends events that Elasticsearch then answers with 409.
 * On open, a torn or corrupt record ends its segment (the file is truncated there).
 *
 * <h2>Size limit and drop rule</h2>
 * The spool never exceeds {@code maxBytes} on disk: before an append would pass it, whole
 * segments are deleted OLDEST FIRST and their undelivered events are counted as dropped
 * (returned by {@link #append}). Newest events are kept: after an outage the recent past is what
 * an operator looks at. A segment is at most {@code segmentBytes}, capped at a quarter of
 * {@code maxBytes}, so a drop loses at most about a quarter of the spool. A record larger than a
 * quarter of {@code maxBytes} (or than {@value #MAX_RECORD_BYTES} bytes) is not written at all
 * (returned by {@link #append} apart).
 */
final class Spool implements Closeable {

    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{19})\\.log");
    private static final int HEADER_BYTES = 8;

    /** A record read from the spool, with the position just after it. */
    record Pending(LogRecord record, long segment, long endOffset) {
    }

    private static final class Segment {
        final long number;
        final Path path;
        long size;
        long unread;

        Segment(long number, Path path) {
            this.number = number;
            this.path = path;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final long fsyncIntervalMillis;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<String> warnings = new ArrayList<>();

    private Segment active;
    private FileChannel activeChannel;
    private long cursorSegment;
    private long cursorOffset;
    private FileChannel readChannel;
    private long readChannelSegment = -1;
    private long totalBytes;
    private long unreadRecords;
    private boolean dirty;
    private long lastSync = System.nanoTime();
    private boolean closed;

    /**
     * Opens (creating if needed) the spool in {@code dir}, recovering what an earlier process left.
     *
     * @throws IOException when the directory cannot be used or another process holds its lock
     */
    Spool(Path dir, long maxBytes, long segmentBytes, long fsyncIntervalMillis) throws IOException {
        if (maxBytes < 4 * 1024) {
            throw new IllegalArgumentException("maxBytes too small: " + maxBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(1024, Math.min(segmentBytes, maxBytes / 4));
        this.fsyncIntervalMillis = fsyncIntervalMillis;
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw new IOException("cannot lock spool " + dir + ": " + e, e);
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("spool " + dir + " is in use by another process");
        }
        lock = l;
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            releaseLock();
            throw e;
        }
    }

    // ---------------------------------------------------------------- recovery

    private void recover() throws IOException {
        readCursor();
        List<Long> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = SEGMENT_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    numbers.add(Long.parseLong(m.group(1)));
                }
            });
        }
        numbers.sort(null);
        for (long n : numbers) {
            Path p = segmentPath(n);
            if (n < cursorSegment) {
                Files.deleteIfExists(p); // delivered before the last shutdown or crash
                continue;
            }
            Segment s = new Segment(n, p);
            long from = n == cursorSegment ? cursorOffset : 0;
            scan(s, from);
            segments.put(n, s);
        }
        if (segments.isEmpty()) {
            long n = Math.max(1, cursorSegment);
            Segment s = new Segment(n, segmentPath(n));
            segments.put(n, s);
        }
        if (!segments.containsKey(cursorSegment)) {
            cursorSegment = segments.firstKey();
            cursorOffset = 0;
        }
        Segment cursorSeg = segments.get(cursorSegment);
        if (cursorOffset > cursorSeg.size) {
            cursorOffset = cursorSeg.size;
        }
        for (Segment s : segments.values()) {
            totalBytes += s.size;
            unreadRecords += s.unread;
        }
        active = segments.lastEntry().getValue();
        activeChannel = FileChannel.open(active.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        activeChannel.position(active.size);
        if (unreadRecords == 0) {
            reset();
        }
    }

    /** Finds the valid length of a segment and counts records at or after {@code from}. */
    private void scan(Segment s, long from) throws IOException {
        long fileSize = Files.size(s.path);
        long pos = 0;
        long unread = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(s.path), 1 << 16))) {
            CRC32 crc = new CRC32();
            byte[] buf = new byte[8192];
            while (pos + HEADER_BYTES <= fileSize) {
                int len = in.readInt();
                int expected = in.readInt();
                if (len < 3 || len > MAX_RECORD_BYTES || pos + HEADER_BYTES + len > fileSize) {
                    break;
                }
                if (buf.length < len) {
                    buf = new byte[Math.max(len, buf.length * 2)];
                }
                in.readFully(buf, 0, len);
                crc.reset();
                crc.update(buf, 0, len);
                if ((int) crc.getValue() != expected) {
                    break;
                }
                if (pos >= from) {
                    unread++;
                }
                pos += HEADER_BYTES + len;
            }
        } catch (EOFException e) {
            // a torn tail: pos marks the end of the last whole record
        }
        if (pos < fileSize) {
            warnings.add("spool segment " + s.path.getFileName() + ": truncated " + (fileSize - pos)
                    + " bytes of a torn or corrupt record at offset " + pos);
            try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.WRITE)) {
                ch.truncate(pos);
            }
        }
        s.size = pos;
        s.unread = unread;
    }

    private void readCursor() throws IOException {
        Path p = dir.resolve("cursor");
        cursorSegment = 0;
        cursorOffset = 0;
        if (Files.exists(p)) {
            String[] parts = Files.readString(p, StandardCharsets.US_ASCII).trim().split("\\s+");
            try {
                cursorSegment = Long.parseLong(parts[0]);
                cursorOffset = Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                warnings.add("unreadable spool cursor, delivering from the oldest segment: " + e);
                cursorSegment = 0;
                cursorOffset = 0;
            }
        }
    }

    private void writeCursor() throws IOException {
        Path tmp = dir.resolve("cursor.tmp");
        Files.writeString(tmp, cursorSegment + " " + cursorOffset + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * What one {@link #append} did: {@code written} records are now in the spool;
     * {@code droppedOldest} earlier undelivered records were deleted with their segment to stay
     * within the size limit; {@code droppedOversize} of the given records were too large for any
     * segment and were not written.
     */
    record Appended(int written, long droppedOldest, int droppedOversize) {
    }

    /** Appends records in order. */
    Appended append(List<LogRecord> records) throws IOException {
        ensureOpen();
        long droppedOldest = 0;
        int oversize = 0;
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int pendingCount = 0;
        int written = 0;
        for (LogRecord r : records) {
            byte[] encoded = encode(r);
            if (encoded.length > MAX_RECORD_BYTES + HEADER_BYTES || encoded.length > maxBytes / 4) {
                oversize++; // cannot be kept: the size limit would drop it with its segment at once
                continue;
            }
            if (active.size + pending.size() + encoded.length > segmentBytes && active.size + pending.size() > 0) {
                written += flushPending(pending, pendingCount);
                pendingCount = 0;
                roll();
            }
            while (totalBytes + pending.size() + encoded.length > maxBytes && segments.size() > 1) {
                droppedOldest += dropOldest();
            }
            pending.write(encoded);
            pendingCount++;
        }
        written += flushPending(pending, pendingCount);
        maybeSync();
        return new Appended(written, droppedOldest, oversize);
    }

    private int flushPending(ByteArrayOutputStream pending, int count) throws IOException {
        if (count == 0) {
            return 0;
        }
        ByteBuffer buf = ByteBuffer.wrap(pending.toByteArray());
        while (buf.hasRemaining()) {
            activeChannel.write(buf);
        }
        active.size += pending.size();
        active.unread += count;
        totalBytes += pending.size();
        unreadRecords += count;
        dirty = true;
        pending.reset();
        return count;
    }

    private static byte[] encode(LogRecord r) {
        byte[] id = r.id().getBytes(StandardCharsets.UTF_8);
        if (id.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("event id too long");
        }
        int payload = 2 + id.length + r.json().length;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload);
        b.putInt(payload);
        b.putInt(0);
        b.putShort((short) id.length);
        b.put(id);
        b.put(r.json());
        CRC32 crc = new CRC32();
        crc.update(b.array(), HEADER_BYTES, payload);
        b.putInt(4, (int) crc.getValue());
        return b.array();
    }

    private void roll() throws IOException {
        activeChannel.force(false);
        activeChannel.close();
        long n = active.number + 1;
        Segment s = new Segment(n, segmentPath(n));
        segments.put(n, s);
        active = s;
        activeChannel = FileChannel.open(s.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        dirty = false;
        lastSync = System.nanoTime();
    }

    /** Deletes the oldest (non-active) segment; returns its undelivered record count. */
    private long dropOldest() throws IOException {
        Segment oldest = segments.firstEntry().getValue();
        segments.remove(oldest.number);
        if (readChannelSegment == oldest.number) {
            closeReadChannel();
        }
        if (cursorSegment == oldest.number) {
            cursorSegment = segments.firstKey();
            cursorOffset = 0;
            writeCursor();
        }
        Files.deleteIfExists(oldest.path);
        totalBytes -= oldest.size;
        unreadRecords -= oldest.unread;
        return oldest.unread;
    }

    /** Fsyncs the active segment if the policy says it is time. */
    void maybeSync() throws IOException {
        if (!dirty || closed) {
            return;
        }
        long now = System.nanoTime();
        if (fsyncIntervalMillis <= 0 || (now - lastSync) / 1_000_000 >= fsyncIntervalMillis) {
            activeChannel.force(false);
            dirty = false;
            lastSync = now;
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads (without consuming) up to {@code maxRecords} / about {@code maxBytes} from the cursor. */
    List<Pending> peek(int maxRecords, long maxBytes) throws IOException {
        ensureOpen();
        List<Pending> out = new ArrayList<>();
        long seg = cursorSegment;
        long off = cursorOffset;
        long bytes = 0;
        while (out.size() < maxRecords && bytes < maxBytes) {
            Segment s = segments.get(seg);
            if (s == null) {
                break;
            }
            if (off >= s.size) {
                Map.Entry<Long, Segment> next = segments.higherEntry(seg);
                if (next == null) {
                    break;
                }
                seg = next.getKey();
                off = 0;
                continue;
            }
            FileChannel ch = readChannel(s);
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            readFully(ch, header, off);
            header.flip();
            int len = header.getInt();
            header.getInt();
            ByteBuffer payload = ByteBuffer.allocate(len);
            readFully(ch, payload, off + HEADER_BYTES);
            payload.flip();
            int idLen = payload.getShort();
            byte[] id = new byte[idLen];
            payload.get(id);
            byte[] json = new byte[payload.remaining()];
            payload.get(json);
            off += HEADER_BYTES + len;
            bytes += HEADER_BYTES + len;
            out.add(new Pending(new LogRecord(new String(id, StandardCharsets.UTF_8), json), seg, off));
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException("spool segment ends early at " + pos);
            }
            pos += n;
        }
    }

    private FileChannel readChannel(Segment s) throws IOException {
        if (readChannelSegment != s.number) {
            closeReadChannel();
            readChannel = FileChannel.open(s.path, StandardOpenOption.READ);
            readChannelSegment = s.number;
        }
        return readChannel;
    }

    private void closeReadChannel() throws IOException {
        if (readChannel != null) {
            readChannel.close();
            readChannel = null;
            readChannelSegment = -1;
        }
    }

    /**
     * Marks records returned by {@link #peek} as delivered, up to and including {@code last}.
     * {@code delivered} must be a prefix of the last peek.
     */
    void commit(List<Pending> delivered) throws IOException {
        ensureOpen();
        if (delivered.isEmpty()) {
            return;
        }
        for (Pending p : delivered) {
            Segment s = segments.get(p.segment());
            if (s != null) {
                s.unread--;
                unreadRecords--;
            }
        }
        Pending last = delivered.get(delivered.size() - 1);
        cursorSegment = last.segment();
        cursorOffset = last.endOffset();
        if (unreadRecords == 0) {
            reset();
            return;
        }
        Segment cur = segments.get(cursorSegment);
        if (cur != active && cursorOffset >= cur.size) {
            cursorSegment = segments.higherKey(cursorSegment);
            cursorOffset = 0;
        }
        writeCursor();
        while (segments.firstKey() < cursorSegment) {
            Segment old = segments.pollFirstEntry().getValue();
            if (readChannelSegment == old.number) {
                closeReadChannel();
            }
            Files.deleteIfExists(old.path);
            totalBytes -= old.size;
        }
    }

    /** Nothing left to deliver: drop every segment but a fresh, empty active one. */
    private void reset() throws IOException {
        closeReadChannel();
        cursorSegment = active.number;
        cursorOffset = 0;
        writeCursor();
        for (Segment s : new ArrayList<>(segments.values())) {
            if (s != active) {
                Files.deleteIfExists(s.path);
                segments.remove(s.number);
            }
        }
        activeChannel.truncate(0);
        activeChannel.position(0);
        active.size = 0;
        active.unread = 0;
        totalBytes = 0;
        unreadRecords = 0;
    }

    // ---------------------------------------------------------------- state

    boolean isEmpty() {
        return unreadRecords == 0;
    }

    /** Events waiting in the spool. */
    long pendingRecords() {
        return unreadRecords;
    }

    /** Bytes the spool occupies on disk (segments, delivered parts included). */
    long sizeBytes() {
        return totalBytes;
    }

    Path directory() {
        return dir;
    }

    /** Messages about recovery (torn records, unreadable cursor) for the caller to report. */
    List<String> drainWarnings() {
        List<String> copy = new ArrayList<>(warnings);
        warnings.clear();
        return copy;
    }

    private Path segmentPath(long n) {
        return dir.resolve(String.format("segment-%019d.log", n));
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("spool closed");
        }
    }

    /** Clean close: fsync, save the cursor, release the lock. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            activeChannel.force(false);
            writeCursor();
        } finally {
            abandon();
        }
    }

    /**
     * Closes file handles and the lock without fsync or cursor update, as a crash would leave
     * things (used by tests and when the shipper thread dies).
     */
    void abandon() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeReadChannel();
            activeChannel.close();
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

}
