/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Listings have a bound: Return All and Follow Pages read at most 1,000 pages and
 * 50,000 results, whatever `count` says, and stop with a clear error; a server that
 * ignores `page` is caught by content when its rows have no `id`. A listing server of
 * the test's own (on 127.0.0.1, closing by itself) plays each hostile envelope; its
 * request log is the witness.
 */
import http from 'node:http';
import type net from 'node:net';

import { runWorkflow } from './helpers/engine';
import { SANDBOX_TOKEN } from './helpers/sandbox';

type PageOf = (page: number) => {
	count: number;
	page_size: number;
	results: Array<Record<string, unknown>>;
};

async function listingServer(pageOf: PageOf) {
	const pages: number[] = [];
	const server = http.createServer((incoming, outgoing) => {
		const url = new URL(incoming.url ?? '/', 'http://x');
		const page = Number(url.searchParams.get('page') ?? 1);
		pages.push(page);
		const body = JSON.stringify({ current_page: page, ...pageOf(page) });
		outgoing.writeHead(200, {
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(body),
		});
		outgoing.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const lifetime = setTimeout(() => server.close(), 5 * 60_000);
	lifetime.unref();
	return {
		url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
		pages,
		stop: () =>
			new Promise<void>((resolve) => {
				clearTimeout(lifetime);
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const LISTINGS = [
	[
		'Settlement → Get Many, Return All',
		{ resource: 'settlement', operation: 'getAll', returnAll: true },
	],
	[
		'API Request with Follow Pages',
		{
			resource: 'apiRequest',
			operation: 'send',
			method: 'GET',
			path: 'settlements/',
			options: { followPages: true },
		},
	],
] as const;

describe.each(LISTINGS)('%s', (_name, parameters) => {
	const list = async (pageOf: PageOf) => {
		const server = await listingServer(pageOf);
		try {
			const result = await runWorkflow({
				parameters: parameters as never,
				credentials: { baseUrl: server.url, accessToken: SANDBOX_TOKEN },
				onError: 'continueRegularOutput',
			});
			return { result, pages: server.pages };
		} finally {
			await server.stop();
		}
	};

	test('count 1,000,000,000 with one row a page: stops at 1,000 pages, with a clear error and nothing output twice', async () => {
		const { result, pages } = await list((page) => ({
			count: 1e9,
			page_size: 1,
			results: [{ id: `s-${page}` }],
		}));
		expect(pages).toHaveLength(1000);
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json.error).toBe(
			'Item 0: Stopped after 1,000 pages, the most one listing reads: got 1,000 of 1,000,000,000',
		);
		expect(result.output[0].json.message).toMatchObject({ outcome: 'failed' });
	});

	test('1,000 rows a page: stops at 50,000 results', async () => {
		const { result, pages } = await list((page) => ({
			count: 1e9,
			page_size: 1000,
			results: Array.from({ length: 1000 }, (_, i) => ({ id: `s-${page}-${i}` })),
		}));
		expect(pages).toHaveLength(51);
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json.error).toBe(
			'Item 0: Stopped at 50,000 results, the most one listing collects (Crego says there are 1,000,000,000)',
		);
	});

	test('rows without an id from a server that ignores page: caught on the second page by content', async () => {
		const { result, pages } = await list(() => ({
			count: 100,
			page_size: 10,
			results: Array.from({ length: 10 }, (_, i) => ({ amount: i })),
		}));
		expect(pages).toEqual([1, 2]);
		expect(result.output[0].json.error).toBe(
			'Item 0: Crego answered page 2 with results already received: it seems to ignore the page parameter (got 10 of 100)',
		);
	});

	test('rows without an id that differ from page to page are all kept', async () => {
		const { result, pages } = await list((page) => ({
			count: 30,
			page_size: 10,
			results: Array.from({ length: 10 }, (_, i) => ({ amount: page * 100 + i })),
		}));
		expect(pages).toEqual([1, 2, 3]);
		expect(result.output).toHaveLength(30);
	});
});
