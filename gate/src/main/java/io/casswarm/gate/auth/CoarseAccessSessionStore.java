package io.casswarm.gate.auth;

import io.casswarm.gate.admission.SessionLifetime;
import io.lettuce.core.RedisConnectionException;
import io.micronaut.configuration.lettuce.session.RedisHttpSessionConfiguration;
import io.micronaut.configuration.lettuce.session.RedisSessionStore;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.convert.value.MutableConvertibleValues;
import io.micronaut.core.serialize.ObjectSerializer;
import io.micronaut.core.util.StringUtils;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.session.Session;
import io.micronaut.session.SessionIdGenerator;
import io.micronaut.session.SessionStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * gate's session store: Micronaut's Redis session store (made and owned here, in its place),
 * made after start-up and writing a session's last access only once it has moved by the idle
 * precision.
 *
 * <p>Made after start-up: Micronaut's store connects to Redis (its Sentinels) when it is made, so
 * as a start-up bean it stopped gate from starting while Redis was away, e.g. while
 * {@code infra/cluster rotate redis_password} restarts the Redis tier (the new gate exited, swarm
 * rolled the update back, and the old gates kept a password Redis no longer took). It is made in
 * the background once gate has started; until it is, each use fails at once with Redis's
 * connection exception (503) and starts another attempt in the background.
 *
 * <p>The last access: Micronaut's store moves it on every session it loads, so it saved the
 * session on every request: four writes ({@code HMSET}, {@code EXPIRE}, {@code SETEX},
 * {@code ZADD}) after the {@code HGETALL}, the largest part of gate's Redis work
 * (docs/PERFORMANCE.md). Here it is written once it has moved by
 * {@link SessionLifetime#idlePrecision()} (at most a tenth of the session's idle timeout); any
 * other change (an attribute, the idle timeout, a new session) is saved at once. The price: an
 * idle session ends up to the precision earlier than its idle timeout says.
 */
@Singleton
@Replaces(RedisSessionStore.class)
@Requires(property = RedisSessionStore.REDIS_SESSION_ENABLED, value = StringUtils.TRUE)
final class CoarseAccessSessionStore implements SessionStore<Session>, AutoCloseable {

    /** When a save last wrote the session's access time, epoch milliseconds; the creation time before. */
    static final String ACCESS_WRITTEN_AT = "casswarm.accessWrittenAt";

    private static final Logger LOG = LoggerFactory.getLogger(CoarseAccessSessionStore.class);

    private final Supplier<RedisSessionStore> maker;
    private final TaskScheduler scheduler;
    private final Duration idlePrecision;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile RedisSessionStore made;

    @SuppressWarnings("rawtypes")
    CoarseAccessSessionStore(SessionLifetime lifetime, SessionIdGenerator ids, RedisHttpSessionConfiguration configuration,
                             BeanLocator beans, ObjectSerializer serializer, ConversionService conversions,
                             @Named(TaskExecutors.SCHEDULED) ExecutorService scheduled,
                             @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler, ApplicationEventPublisher events) {
        this.idlePrecision = lifetime.idlePrecision();
        this.scheduler = scheduler;
        this.maker = () -> new RedisSessionStore(ids, configuration, beans, serializer, conversions, scheduled, events);
    }

    /** Connects in the background once gate has started: start-up never waits for Redis. */
    @EventListener
    void connectEarly(StartupEvent event) {
        connectInBackground();
    }

    /**
     * Micronaut's store once it is made. Until then Redis's connection exception at once (503),
     * and an attempt to make it in the background: a request never waits on an event loop for
     * connections to be made, and there is one attempt at a time however many requests ask.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private SessionStore<Session> store() {
        RedisSessionStore current = made;
        if (current == null) {
            connectInBackground();
            throw new RedisConnectionException("the session store is not connected to Redis yet");
        }
        return (SessionStore) current;
    }

    private void connectInBackground() {
        if (connecting.compareAndSet(false, true)) {
            scheduler.schedule(Duration.ZERO, this::connect);
        }
    }

    /**
     * Makes Micronaut's store. Left as it is: a store whose second connection failed after its
     * first was made stays registered for Redis's events, which it cannot handle; Micronaut's
     * store gives no way to undo that, and it takes Redis failing between two connections made
     * one after the other.
     */
    private void connect() {
        try {
            made = maker.get();
            LOG.info("Session store connected to Redis");
        } catch (RuntimeException e) {
            Throwable reason = e instanceof BeanInstantiationException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("Session store not connected to Redis yet ({}); the next request that needs it tries again",
                    reason.toString());
        } finally {
            connecting.set(false);
        }
    }

    /** A call on the store, failing as its future when the store cannot be made yet. */
    private static <T> CompletableFuture<T> using(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Session newSession() {
        return store().newSession();
    }

    @Override
    public CompletableFuture<Optional<Session>> findSession(String id) {
        return using(() -> store().findSession(id).thenApply(found -> found.map(TrackedSession::new)));
    }

    @Override
    public CompletableFuture<Boolean> deleteSession(String id) {
        return using(() -> store().deleteSession(id));
    }

    @Override
    public CompletableFuture<Session> save(Session session) {
        if (!(session instanceof TrackedSession tracked)) {
            return using(() -> store().save(session));
        }
        Session stored = tracked.stored;
        if (!tracked.changed && !accessWriteDue(stored)) {
            return CompletableFuture.completedFuture(tracked);
        }
        stored.put(ACCESS_WRITTEN_AT, clock.millis());
        tracked.changed = false;
        return using(() -> store().save(stored).thenApply(saved -> tracked));
    }

    private boolean accessWriteDue(Session stored) {
        long writtenAt = stored.get(ACCESS_WRITTEN_AT, Long.class)
                .orElseGet(() -> stored.getCreationTime().toEpochMilli());
        Duration tenthOfIdle = stored.getMaxInactiveInterval().dividedBy(10);
        long precision = Math.min(idlePrecision.toMillis(), tenthOfIdle.toMillis());
        return clock.millis() - writtenAt >= precision;
    }

    @Override
    @PreDestroy
    public synchronized void close() {
        if (made != null) {
            made.close();
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
