/**
 * Whether a request may go on now, decided with counters in Redis that every gate shares
 * ({@link io.casswarm.gate.admission.RedisLimits}): the per-user request rate limit (429), the
 * failed-login limit of a user name (429 at login), and the set of disabled users, whose sessions
 * end on whichever gate they come to next ({@link io.casswarm.gate.admission.UserAdmissionFilter}).
 */
package io.casswarm.gate.admission;
