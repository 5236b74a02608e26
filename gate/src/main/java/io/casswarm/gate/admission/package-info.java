/**
 * Whether a request may go on now, decided with counters in Redis that every gate shares: the
 * per-user request rate limit ({@link io.casswarm.gate.admission.AdmissionCheck}, 429), login
 * attempts counted before their password is checked ({@link io.casswarm.gate.admission.LoginThrottle},
 * 429 with progressive waits), and the end of sessions whose user was disabled or changed its
 * password (a per-user session generation, {@link io.casswarm.gate.admission.UserSessions}) or that
 * outlived the absolute lifetime ({@link io.casswarm.gate.admission.SessionLifetime},
 * {@code casswarm.session.absolute}), on whichever gate they come to next
 * ({@link io.casswarm.gate.admission.UserAdmissionFilter}).
 */
package io.casswarm.gate.admission;
