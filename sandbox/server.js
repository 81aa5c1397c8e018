// @ts-check
'use strict';

/**
 * The Crego sandbox: a local stand-in for Crego's LMS API on 127.0.0.1, built on Node's
 * own `http` (no dependencies). It requires the Bearer token, answers the documented
 * endpoints from in-memory state, and records every request it received so tests can
 * assert on exactly what a client sent.
 *
 * Test hooks, outside /v1/lms/ and never recorded:
 *   GET    /__sandbox/requests   the request log
 *   POST   /__sandbox/reset      fresh state, an empty log, no faults
 *   POST   /__sandbox/faults     inject a fault (a JSON rule, see faults.js)
 *   DELETE /__sandbox/faults     remove all faults
 *   POST   /__sandbox/ignore-page  answer page 1 whatever `page` asks (until reset)
 */

const http = require('node:http');
const zlib = require('node:zlib');
const { answer } = require('./lms');
const { seedState } = require('./seed');
const { createFaultPlan, describeFault } = require('./faults');

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * @param {{token: string, host?: string, port?: number, maxLifetimeMs?: number, latencyMs?: number}} options
 *   maxLifetimeMs: close by itself after this long (tests set it so no server outlives them).
 *   latencyMs: wait this long before every answer, like a remote API.
 */
function createSandbox({ token, host = '127.0.0.1', port = 0, maxLifetimeMs, latencyMs = 0 }) {
	let state = seedState();
	/** @type {Array<Record<string, any>>} */
	const requests = [];
	const faults = createFaultPlan();
	let lifetimeTimer;

	const server = http.createServer((incoming, outgoing) => {
		const chunks = [];
		let size = 0;
		incoming.on('data', (chunk) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		incoming.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			handle(incoming, outgoing, rawBody).catch((error) => {
				outgoing.writeHead(500, { 'Content-Type': 'text/plain' });
				outgoing.end(`sandbox error: ${error.message}`);
			});
		});
	});

	async function handle(incoming, outgoing, rawBody) {
		const receivedAt = Date.now();
		const url = new URL(incoming.url ?? '/', 'http://sandbox.local');
		if (url.pathname.startsWith('/__sandbox/')) {
			return send(outgoing, control(incoming.method, url.pathname, rawBody), {});
		}
		const req = parseRequest(incoming, url, rawBody);
		const fault = faults.take(req.method, req.path);
		// Crego does the work unless the fault stands for a request it never processed
		// (a replaced answer or a reset), or the rule says it did the work anyway.
		const doesTheWork = !fault || fault.process || (!fault.status && !fault.reset);
		const processed = doesTheWork
			? (authorised(incoming.headers.authorization) ?? answer(req, state))
			: undefined;
		const entry = {
			method: req.method,
			path: req.path,
			query: Object.fromEntries(url.searchParams),
			headers: { ...incoming.headers },
			body: req.body,
			rawBody,
			receivedAt,
			status: processed?.status,
			response: processed?.body,
			// Ground truth for tests: whether Crego did the work (money moved), whatever the client heard.
			didWork: Boolean(processed && processed.status < 300 && req.method !== 'GET'),
			...(fault ? { fault: describeFault(fault) } : {}),
		};
		requests.push(entry);

		const delay = (fault?.delayMs ?? 0) + latencyMs;
		if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
		entry.answeredAt = Date.now();
		if (fault?.reset) {
			entry.status = 'reset';
			incoming.socket.destroy();
			return;
		}
		const response = fault?.status ? { status: fault.status, body: fault.body ?? '' } : processed;
		entry.status = response.status;
		let text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
		if (fault?.truncate) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
		if (fault?.malformed) text = `{"detail": ${text}`;
		const headers = {};
		if (fault?.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
		if (fault?.location !== undefined) headers.Location = fault.location;
		const contentType =
			fault?.contentType ??
			(typeof response.body === 'string' && fault?.status ? 'text/html' : 'application/json');
		if (fault?.trickleMs)
			return trickle(
				outgoing,
				response.status,
				text,
				{ ...headers, 'Content-Type': contentType },
				fault.trickleMs,
				entry,
			);
		if (fault?.gzip || fault?.corruptGzip || fault?.bombMiB) {
			const bytes = compressed(text, fault);
			entry.bytesSent = bytes.length;
			outgoing.writeHead(response.status, {
				...headers,
				'Content-Type': contentType,
				'Content-Encoding': 'gzip',
				'Content-Length': bytes.length,
			});
			return outgoing.end(bytes);
		}
		return send(
			outgoing,
			{ status: response.status, text },
			{ ...headers, 'Content-Type': contentType },
		);
	}

	/** Sends the answer one byte at a time, every `everyMs`: a server that is slow but never idle. */
	async function trickle(outgoing, status, text, headers, everyMs, entry) {
		outgoing.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
		entry.bytesSent = 0;
		for (const byte of Buffer.from(text)) {
			if (outgoing.destroyed || outgoing.socket?.destroyed) return;
			outgoing.write(Buffer.from([byte]));
			entry.bytesSent++;
			await new Promise((resolve) => setTimeout(resolve, everyMs));
		}
		entry.completed = true;
		outgoing.end();
	}

	function send(outgoing, { status, body, text = JSON.stringify(body) }, headers) {
		if (outgoing.destroyed) return;
		outgoing.writeHead(status, {
			'Content-Type': 'application/json',
			...headers,
			'Content-Length': Buffer.byteLength(text),
		});
		outgoing.end(text);
	}

	/** simplejwt's answers for a missing or wrong token; undefined when the token is right. */
	function authorised(header) {
		if (!header)
			return { status: 401, body: { detail: 'Authentication credentials were not provided.' } };
		if (header !== `Bearer ${token}`) {
			return {
				status: 401,
				body: { detail: 'Given token not valid for any token type', code: 'token_not_valid' },
			};
		}
		return undefined;
	}

	function control(method, pathname, rawBody) {
		if (method === 'GET' && pathname === '/__sandbox/requests')
			return { status: 200, body: requests };
		if (method === 'POST' && pathname === '/__sandbox/reset') {
			reset();
			return { status: 200, body: { reset: true } };
		}
		if (method === 'POST' && pathname === '/__sandbox/faults') {
			faults.add(JSON.parse(rawBody || '{}'));
			return { status: 200, body: { added: true } };
		}
		if (method === 'POST' && pathname === '/__sandbox/ignore-page') {
			state.paging = { ignorePage: true };
			return { status: 200, body: { ignorePage: true } };
		}
		if (method === 'DELETE' && pathname === '/__sandbox/faults') {
			faults.clear();
			return { status: 200, body: { cleared: true } };
		}
		return { status: 404, body: { detail: 'Not found.' } };
	}

	/** Fresh state, an empty log and no faults. */
	function reset() {
		state = seedState();
		requests.length = 0;
		faults.clear();
	}

	return {
		requests,
		reset,
		/** @param {import('./faults').FaultRule} rule */
		injectFault: (rule) => faults.add(rule),
		/** Removes every fault, keeping the state and the log. */
		clearFaults: () => faults.clear(),
		/** Plays a server that ignores the `page` query and always answers page 1. */
		ignorePageParameter: () => {
			state.paging = { ignorePage: true };
		},
		get state() {
			return state;
		},
		/** @returns {Promise<string>} the base URL, e.g. http://127.0.0.1:41234 */
		start() {
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					const address = /** @type {import('node:net').AddressInfo} */ (server.address());
					if (maxLifetimeMs) {
						lifetimeTimer = setTimeout(() => server.close(), maxLifetimeMs);
						lifetimeTimer.unref();
					}
					resolve(`http://${host}:${address.port}`);
				});
			});
		},
		/** @returns {Promise<void>} */
		stop() {
			clearTimeout(lifetimeTimer);
			return new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			});
		},
	};
}

/** One gzip member of 1 MiB of zeros: a bomb is many of them, one after another (gzip allows it). */
let mibOfZeros;

/** The answer gzip-compressed; corrupt (a gzip header, then noise); or a bomb: its start, then bombMiB MiB of zeros. */
function compressed(text, fault) {
	if (fault.corruptGzip)
		return Buffer.concat([
			Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03]),
			Buffer.from('this is not deflate data at all, not at all'),
		]);
	if (!fault.bombMiB) return zlib.gzipSync(text);
	mibOfZeros ??= zlib.gzipSync(Buffer.alloc(1024 * 1024, 0x30), { level: 9 });
	return Buffer.concat([
		zlib.gzipSync(text.slice(0, Math.max(1, text.length - 1))),
		...Array(fault.bombMiB).fill(mibOfZeros),
	]);
}

/** Body parsing as DRF does it: JSON only, with its parse and media-type errors. */
function parseRequest(incoming, url, rawBody) {
	const req = {
		method: incoming.method ?? 'GET',
		path: url.pathname,
		query: url.searchParams,
		body: /** @type {Record<string, any>} */ ({}),
		bodyError: /** @type {{status: number, detail: string} | undefined} */ (undefined),
	};
	if (rawBody === '') return req;
	const contentType = String(incoming.headers['content-type'] ?? '');
	if (!contentType.includes('application/json')) {
		req.bodyError = { status: 415, detail: `Unsupported media type "${contentType}" in request.` };
		return req;
	}
	try {
		const parsed = JSON.parse(rawBody);
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
			req.bodyError = { status: 400, detail: 'Invalid data. Expected a dictionary.' };
		} else {
			req.body = parsed;
		}
	} catch (error) {
		req.bodyError = { status: 400, detail: `JSON parse error - ${error.message}` };
	}
	return req;
}

module.exports = { createSandbox };
