// @ts-check
'use strict';

/**
 * The Crego sandbox: a local stand-in for Crego's LMS API on 127.0.0.1, built on Node's
 * own `http` (no dependencies). It requires the Bearer token, answers the documented
 * endpoints from in-memory state, and records every request it received so tests can
 * assert on exactly what a client sent.
 *
 * Test hooks, outside /v1/lms/ and never recorded:
 *   GET  /__sandbox/requests   the request log
 *   POST /__sandbox/reset      fresh state and an empty log
 */

const http = require('node:http');
const { answer } = require('./lms');
const { seedState } = require('./seed');

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * @param {{token: string, host?: string, port?: number, maxLifetimeMs?: number}} options
 *   maxLifetimeMs: close by itself after this long (tests set it so no server outlives them).
 */
function createSandbox({ token, host = '127.0.0.1', port = 0, maxLifetimeMs }) {
	let state = seedState();
	/** @type {Array<Record<string, any>>} */
	const requests = [];
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
			const { status, body } = handle(incoming, rawBody);
			const text = JSON.stringify(body);
			outgoing.writeHead(status, {
				'Content-Type': 'application/json',
				'Content-Length': Buffer.byteLength(text),
			});
			outgoing.end(text);
		});
	});

	function handle(incoming, rawBody) {
		const url = new URL(incoming.url ?? '/', 'http://sandbox.local');
		if (url.pathname.startsWith('/__sandbox/')) return control(incoming.method, url.pathname);
		const req = parseRequest(incoming, url, rawBody);
		const response = authorised(incoming.headers.authorization) ?? answer(req, state);
		requests.push({
			method: req.method,
			path: req.path,
			query: Object.fromEntries(url.searchParams),
			headers: { ...incoming.headers },
			body: req.body,
			rawBody,
			status: response.status,
			response: response.body,
		});
		return response;
	}

	/** simplejwt's answers for a missing or wrong token; undefined when the token is right. */
	function authorised(header) {
		if (!header) return { status: 401, body: { detail: 'Authentication credentials were not provided.' } };
		if (header !== `Bearer ${token}`) {
			return {
				status: 401,
				body: { detail: 'Given token not valid for any token type', code: 'token_not_valid' },
			};
		}
		return undefined;
	}

	function control(method, pathname) {
		if (method === 'GET' && pathname === '/__sandbox/requests') return { status: 200, body: requests };
		if (method === 'POST' && pathname === '/__sandbox/reset') {
			reset();
			return { status: 200, body: { reset: true } };
		}
		return { status: 404, body: { detail: 'Not found.' } };
	}

	function reset() {
		state = seedState();
		requests.length = 0;
	}

	return {
		requests,
		reset,
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
