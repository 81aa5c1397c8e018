/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * "Some other host" for redirect tests: a listener on another loopback address
 * (127.0.0.2) that records every request and answers 200 `{}` to anything, so a request
 * that wrongly reaches it would look done. And a port nothing listens on.
 */
import http from 'node:http';
import net from 'node:net';

export interface OtherHost {
	url: string;
	requests: Array<{ method: string; path: string; authorization?: string; body: string }>;
	stop(): Promise<void>;
}

export async function startOtherHost(host = '127.0.0.2'): Promise<OtherHost> {
	const requests: OtherHost['requests'] = [];
	const server = http.createServer((incoming, outgoing) => {
		let body = '';
		incoming.on('data', (chunk) => (body += chunk));
		incoming.on('end', () => {
			requests.push({
				method: incoming.method ?? '',
				path: incoming.url ?? '',
				authorization: incoming.headers.authorization,
				body,
			});
			outgoing.writeHead(200, { 'Content-Type': 'application/json' });
			outgoing.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	const lifetime = setTimeout(() => server.close(), 10 * 60_000);
	lifetime.unref();
	const { port } = server.address() as net.AddressInfo;
	return {
		url: `http://${host}:${port}`,
		requests,
		stop: () =>
			new Promise((resolve) => {
				clearTimeout(lifetime);
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** A port on 127.0.0.1 that was free a moment ago: connecting to it is refused. */
export async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
