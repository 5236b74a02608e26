package io.casswarm.gate.auth;

import io.casswarm.gate.admission.SessionLifetime;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.convert.value.MutableConvertibleValues;
import io.micronaut.session.Session;
import io.micronaut.session.SessionStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Micronaut's Redis session store, writing a session's last access only once it has moved by
 * the idle precision ({@link SessionLifetime#idlePrecision()}, at most a tenth of the session's
 * idle timeout). Micronaut's store moves the last access of every session it loads, so it saved
 * the session on every request: four writes ({@code HMSET}, {@code EXPIRE}, {@code SETEX},
 * {@code ZADD}) after the {@code HGETALL}, the largest part of gate's Redis work
 * (docs/PERFORMANCE.md). Any other change (an attribute, the idle timeout, a new session) is
 * saved at once, as before. The price: an idle session ends up to the precision earlier than
 * its idle timeout says.
 */
final class CoarseAccessSessionStore implements SessionStore<Session>, AutoCloseable {

    /** When a save last wrote the session's access time, epoch milliseconds; the creation time before. */
    static final String ACCESS_WRITTEN_AT = "casswarm.accessWrittenAt";

    private final SessionStore<Session> store;
    private final Duration idlePrecision;
    private final Clock clock;

    CoarseAccessSessionStore(SessionStore<Session> store, Duration idlePrecision, Clock clock) {
        this.store = store;
        this.idlePrecision = idlePrecision;
        this.clock = clock;
    }

    /** Puts this store around the session store Micronaut makes (the Redis one). */
    @Singleton
    static final class Installer implements BeanCreatedEventListener<SessionStore<Session>> {

        private final SessionLifetime lifetime;

        Installer(SessionLifetime lifetime) {
            this.lifetime = lifetime;
        }

        @Override
        public SessionStore<Session> onCreated(BeanCreatedEvent<SessionStore<Session>> event) {
            return new CoarseAccessSessionStore(event.getBean(), lifetime.idlePrecision(), Clock.systemUTC());
        }
    }

    @Override
    public Session newSession() {
        return store.newSession();
    }

    @Override
    public CompletableFuture<Optional<Session>> findSession(String id) {
        return store.findSession(id).thenApply(found -> found.map(TrackedSession::new));
    }

    @Override
    public CompletableFuture<Boolean> deleteSession(String id) {
        return store.deleteSession(id);
    }

    @Override
    public CompletableFuture<Session> save(Session session) {
        if (!(session instanceof TrackedSession tracked)) {
            return store.save(session);
        }
        Session stored = tracked.stored;
        if (!tracked.changed && !accessWriteDue(stored)) {
            return CompletableFuture.completedFuture(tracked);
        }
        stored.put(ACCESS_WRITTEN_AT, clock.millis());
        tracked.changed = false;
        return store.save(stored).thenApply(saved -> tracked);
    }

    private boolean accessWriteDue(Session stored) {
        long writtenAt = stored.get(ACCESS_WRITTEN_AT, Long.class)
                .orElseGet(() -> stored.getCreationTime().toEpochMilli());
        Duration tenthOfIdle = stored.getMaxInactiveInterval().dividedBy(10);
        long precision = Math.min(idlePrecision.toMillis(), tenthOfIdle.toMillis());
        return clock.millis() - writtenAt >= precision;
    }

    @Override
    public void close() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * A loaded session, noting whether anything but its last access changed (Micronaut's own
     * session counts the access as a change).
     */
    private static final class TrackedSession implements Session {

        private final Session stored;
        private boolean changed;

        TrackedSession(Session stored) {
            this.stored = stored;
        }

        @Override
        public String getId() {
            return stored.getId();
        }

        @Override
        public Instant getCreationTime() {
            return stored.getCreationTime();
        }

        @Override
        public Instant getLastAccessedTime() {
            return stored.getLastAccessedTime();
        }

        @Override
        public Session setLastAccessedTime(Instant instant) {
            stored.setLastAccessedTime(instant);
            return this;
        }

        @Override
        public Session setMaxInactiveInterval(Duration duration) {
            changed = true;
            stored.setMaxInactiveInterval(duration);
            return this;
        }

        @Override
        public Duration getMaxInactiveInterval() {
            return stored.getMaxInactiveInterval();
        }

        @Override
        public boolean isNew() {
            return stored.isNew();
        }

        @Override
        public boolean isModified() {
            return stored.isModified();
        }

        @Override
        public MutableConvertibleValues<Object> put(CharSequence key, Object value) {
            changed = true;
            stored.put(key, value);
            return this;
        }

        @Override
        public MutableConvertibleValues<Object> remove(CharSequence key) {
            changed = true;
            stored.remove(key);
            return this;
        }

        @Override
        public MutableConvertibleValues<Object> clear() {
            changed = true;
            stored.clear();
            return this;
        }

        @Override
        public Set<String> names() {
            return stored.names();
        }

        @Override
        public Collection<Object> values() {
            return stored.values();
        }

        @Override
        public Optional<Object> get(CharSequence name) {
            return stored.get(name);
        }

        @Override
        public <T> Optional<T> get(CharSequence name, ArgumentConversionContext<T> conversionContext) {
            return stored.get(name, conversionContext);
        }
    }
}
