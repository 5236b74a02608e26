package io.casswarm.gate.auth;

import io.casswarm.gate.admission.SessionLifetime;
import io.micronaut.configuration.lettuce.session.RedisHttpSessionConfiguration;
import io.micronaut.configuration.lettuce.session.RedisSessionStore;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.convert.value.MutableConvertibleValues;
import io.micronaut.core.serialize.ObjectSerializer;
import io.micronaut.core.util.StringUtils;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.session.Session;
import io.micronaut.session.SessionIdGenerator;
import io.micronaut.session.SessionStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Micronaut's Redis session store (made and owned here, in its place), writing a session's last access only once it has moved by
 * the idle precision ({@link SessionLifetime#idlePrecision()}, at most a tenth of the session's
 * idle timeout). Micronaut's store moves the last access of every session it loads, so it saved
 * the session on every request: four writes ({@code HMSET}, {@code EXPIRE}, {@code SETEX},
 * {@code ZADD}) after the {@code HGETALL}, the largest part of gate's Redis work
 * (docs/PERFORMANCE.md). Any other change (an attribute, the idle timeout, a new session) is
 * saved at once, as before. The price: an idle session ends up to the precision earlier than
 * its idle timeout says.
 */
@Singleton
@Replaces(RedisSessionStore.class)
@Requires(property = RedisSessionStore.REDIS_SESSION_ENABLED, value = StringUtils.TRUE)
final class CoarseAccessSessionStore implements SessionStore<Session> {

    /** When a save last wrote the session's access time, epoch milliseconds; the creation time before. */
    static final String ACCESS_WRITTEN_AT = "casswarm.accessWrittenAt";

    private final RedisSessionStore redis;
    private final SessionStore<Session> store;
    private final Duration idlePrecision;
    private final Clock clock = Clock.systemUTC();

    /**
     * Makes Micronaut's store itself, with what Micronaut would give it, so this bean owns it
     * (and closes it) instead of standing in for Micronaut's bean, whose disposal expects its
     * own class.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    CoarseAccessSessionStore(SessionLifetime lifetime, SessionIdGenerator ids, RedisHttpSessionConfiguration configuration,
                             BeanLocator beans, ObjectSerializer serializer, ConversionService conversions,
                             @Named(TaskExecutors.SCHEDULED) ExecutorService scheduled, ApplicationEventPublisher events) {
        this.redis = new RedisSessionStore(ids, configuration, beans, serializer, conversions, scheduled, events);
        this.store = (SessionStore) redis;
        this.idlePrecision = lifetime.idlePrecision();
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

    @PreDestroy
    void close() {
        redis.close();
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
