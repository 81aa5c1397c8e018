// @ts-check
'use strict';

/**
 * Faults the sandbox can be told to inject, so tests meet what a remote API does on a bad
 * day: error statuses in Django REST Framework's shapes, HTML or empty bodies, answers too
 * slow for the client's timeout, reset connections, truncated or malformed JSON, and 429
 * with Retry-After.
 *
 * A rule matches requests by method and path (an exact path, or a prefix ending in `*`),
 * applies to the next `times` matching requests (default 1; 0 means every one), or to
 * every `everyNth` matching request, and says what happens:
 *   status, body (object: JSON; string: as is), contentType   — the answer instead
 *   retryAfter                                                — adds a Retry-After header (seconds)
 *   location                                                  — adds a Location header (with a 3xx status)
 *   trickleMs                                                 — sends the answer one byte every trickleMs
 *   delayMs                                                   — waits before answering
 *   reset                                                     — destroys the connection, no answer
 *   truncate / malformed                                      — the real JSON answer, cut short / broken
 *   gzip                                                      — the answer gzip-compressed (Content-Encoding: gzip)
 *   corruptGzip                                               — a gzip header, then bytes that are not gzip
 *   bombMiB                                                   — after the answer's first bytes, this many MiB of
 *                                                               zeros, gzip-compressed (about 1 KB a MiB on the wire)
 *   process                                                   — Crego still does the work first
 *                                                               (money moved, the client never hears)
 * A rule with a status or a reset changes no state unless it says `process`, as when Crego
 * never got the request; delays, truncation and malformed JSON come with the work done.
 *
 * @typedef {{
 *   method?: string, path?: string, times?: number, everyNth?: number,
 *   status?: number, body?: unknown, contentType?: string, retryAfter?: number | string, location?: string, trickleMs?: number,
 *   delayMs?: number, reset?: boolean, truncate?: boolean, malformed?: boolean, process?: boolean,
 *   gzip?: boolean, corruptGzip?: boolean, bombMiB?: number,
 * }} FaultRule
 */

function createFaultPlan() {
	/** @type {Array<FaultRule & {seen: number, used: number}>} */
	let rules = [];

	function matches(rule, method, path) {
		if (rule.method && rule.method.toUpperCase() !== method) return false;
		if (!rule.path) return true;
		return rule.path.endsWith('*') ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
	}

	return {
		/** @param {FaultRule} rule */
		add(rule) {
			rules.push({ ...rule, seen: 0, used: 0 });
		},
		clear() {
			rules = [];
		},
		/** The fault for this request, if a rule applies to it; counts it against the rule. */
		take(method, path) {
			for (const rule of rules) {
				if (!matches(rule, method, path)) continue;
				rule.seen++;
				if (rule.everyNth) {
					if (rule.seen % rule.everyNth === 0) return rule;
					continue;
				}
				const times = rule.times ?? 1;
				if (times === 0 || rule.used < times) {
					rule.used++;
					return rule;
				}
			}
			return undefined;
		},
	};
}

/** Short words for the request log: what was done to this request. */
function describeFault(rule) {
	const parts = [];
	if (rule.delayMs) parts.push(`delay ${rule.delayMs} ms`);
	if (rule.reset) parts.push('reset');
	if (rule.status) parts.push(`status ${rule.status}`);
	if (rule.retryAfter !== undefined) parts.push(`retry-after ${rule.retryAfter}`);
	if (rule.location !== undefined) parts.push(`location ${rule.location}`);
	if (rule.trickleMs) parts.push(`trickle ${rule.trickleMs} ms`);
	if (rule.truncate) parts.push('truncated');
	if (rule.malformed) parts.push('malformed');
	if (rule.gzip) parts.push('gzip');
	if (rule.corruptGzip) parts.push('corrupt gzip');
	if (rule.bombMiB) parts.push(`gzip bomb ${rule.bombMiB} MiB`);
	if (rule.process) parts.push('processed');
	return parts.join(', ');
}

module.exports = { createFaultPlan, describeFault };
