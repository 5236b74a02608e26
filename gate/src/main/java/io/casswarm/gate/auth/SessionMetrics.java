package io.casswarm.gate.auth;

import io.casswarm.gate.redis.RedisConnection;
import io.micronaut.context.annotation.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.lettuce.session.RedisHttpSessionConfiguration;
import io.micronaut.scheduling.annotation.Scheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code casswarm_sessions_active}: sessions in Redis's active set (all gates together), read
 * every 30 s in the background so that a scrape never waits for Redis. Created at start-up, so
 * the gauge is there from the first scrape; the Redis connection is taken on first use, so a
 * gate starts (and reports Redis DOWN in /health) while Redis is away.
 */
@Context
class SessionMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(SessionMetrics.class);

    private final RedisConnection redis;
    private final String activeSessionsKey;
    private final AtomicLong active = new AtomicLong();

    SessionMetrics(RedisConnection redis, RedisHttpSessionConfiguration sessions,
                   MeterRegistry meters) {
        this.redis = redis;
        this.activeSessionsKey = sessions.getActiveSessionsKey();
        Gauge.builder("casswarm.sessions.active", active, AtomicLong::get)
                .description("Sessions Redis holds as active, all gates together")
                .register(meters);
    }

    @Scheduled(fixedDelay = "30s", initialDelay = "5s")
    void refresh() {
        redis.call(commands -> commands.zcard(activeSessionsKey)).whenComplete((count, error) -> {
            if (error == null && count != null) {
                active.set(count);
            } else {
                LOG.debug("Active sessions not counted: {}", String.valueOf(error));
            }
        });
    }
}
