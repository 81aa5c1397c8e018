/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The token stays home. The credential's Test button never follows a redirect (a 3xx
 * fails the test; the other host receives nothing). And whatever form a server echoes
 * the token in — as is, JSON-escaped (`\/`, `\u0074`), percent-encoded in either case,
 * base64 — none of it reaches an output item, an error or the run data. The sandbox here
 * takes a token with `/`, `+` and `=` in it, as a JWT-like token may have.
 */
import { credentialTestNode } from './helpers/credentialTestNode';
import { cregoApi, runWorkflow } from './helpers/engine';
import { startOtherHost } from './helpers/otherHost';
import { ids } from './helpers/sandbox';

const { createSandbox } = require('../sandbox/server') as {
	createSandbox: (options: Record<string, unknown>) => any;
};

const TOKEN = 'eyJh/bGci+OiJI=UzI1NiJ9/x.y-z_w';
const RECORD_PATH = `/v1/lms/records/${ids.DOCS_RECORD_ID}/`;
const REFUND_PATH = `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`;

let sandbox: any;
let url: string;
beforeAll(async () => {
	sandbox = createSandbox({ token: TOKEN, maxLifetimeMs: 5 * 60_000 });
	url = await sandbox.start();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const percent = (text: string, lower = false) =>
	[...text]
		.map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
		.map((h) => (lower ? h : h.toUpperCase()))
		.join('');
const unicode = (text: string) =>
	[...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

/** Every way a server may echo the token, as the raw text of a JSON answer. */
const ECHOES: Array<[string, string]> = [
	['as is', TOKEN],
	['JSON-escaped slashes', TOKEN.replace(/\//g, '\\/')],
	['JSON unicode escapes', unicode(TOKEN)],
	['percent-encoded', encodeURIComponent(TOKEN)],
	['wholly percent-encoded, upper case', percent(TOKEN)],
	['wholly percent-encoded, lower case', percent(TOKEN, true)],
	['base64', Buffer.from(TOKEN).toString('base64')],
	['base64url', Buffer.from(TOKEN).toString('base64url')],
	['after Bearer, escaped', `Bearer ${TOKEN.replace(/\//g, '\\/')}`],
];

/** The token in any of those forms, decoded back: what a reader of the output could recover. */
function leaks(text: string): boolean {
	const decoded = [
		text,
		text.replace(/\\\//g, '/'),
		safely(() => JSON.parse(`"${text.replace(/"/g, '')}"`)),
		safely(() => decodeURIComponent(text)),
	];
	return (
		decoded.some((form) => form?.includes(TOKEN)) ||
		text.includes(Buffer.from(TOKEN).toString('base64').replace(/=+$/, '')) ||
		text.includes(Buffer.from(TOKEN).toString('base64url'))
	);
}
const safely = (read: () => string) => {
	try {
		return read();
	} catch {
		return undefined;
	}
};

describe.each(ECHOES)('a server echoing the token %s', (_name, echo) => {
	test.each([
		// Simplify off: Crego's answer is output whole, echo and all.
		[
			'in a 200 of a read',
			RECORD_PATH,
			{ status: 200 },
			{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID, simple: false },
		],
		[
			'in a 201 of a write',
			REFUND_PATH,
			{ status: 201, process: true },
			{
				resource: 'loan',
				operation: 'initiateRefund',
				loanId: ids.DOCS_LOAN_ID,
				amount: 10,
				refundType: 'cashback_refund',
				simple: false,
			},
		],
		[
			'in a 400',
			REFUND_PATH,
			{ status: 400 },
			{
				resource: 'loan',
				operation: 'initiateRefund',
				loanId: ids.DOCS_LOAN_ID,
				amount: 10,
				refundType: 'cashback_refund',
			},
		],
		[
			'in a 500',
			RECORD_PATH,
			{ status: 500 },
			{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
		],
	])(
		'%s: the token is in no output, error or run data',
		async (_where, path, answer, parameters) => {
			const body = `{"id":"x","detail":"token ${echo} seen","headers":{"authorization":"${echo}"},"list":["${echo}"]}`;
			sandbox.injectFault({ path, ...answer, body, contentType: 'application/json' });
			for (const onError of ['continueRegularOutput', undefined] as const) {
				const result = await runWorkflow({
					parameters: parameters as never,
					credentials: { baseUrl: url, accessToken: TOKEN },
					workflowId: `echo-${_name}-${_where}-${onError}`,
					...(onError ? { onError } : {}),
				});
				const kept = [
					JSON.stringify(result.run),
					JSON.stringify(result.error ?? {}),
					String(result.error?.description ?? ''),
					result.hints.join('\n'),
				];
				for (const text of kept) expect(leaks(text)).toBe(false);
				// The answer itself was kept (redacted), so the check had something to look at.
				expect(kept[0]).toContain('[redacted]');
				sandbox.injectFault({ path, ...answer, body, contentType: 'application/json' });
			}
			expect(sandbox.requests.length).toBeGreaterThan(0);
		},
	);
});

describe("the credential's Test button", () => {
	test.each([301, 302, 303, 307, 308])(
		'a %i to another host fails the test; the other host receives nothing',
		async (status) => {
			const other = await startOtherHost();
			try {
				sandbox.injectFault({
					path: '/v1/lms/settlements/',
					status,
					location: `${other.url}/v1/lms/settlements/`,
				});
				const result = await runWorkflow({
					parameters: {},
					credentials: { baseUrl: url, accessToken: TOKEN },
					node: { type: 'test.credentialTest', nodeType: credentialTestNode },
				});
				expect(result.error).toMatchObject({ httpCode: String(status) });
				expect(other.requests).toEqual([]);
				expect(sandbox.requests).toHaveLength(1);
				// n8n's tester answers a 3xx with the credential's own rule for it.
				const rule = cregoApi.test!.rules!.find(
					(r) => r.type === 'responseCode' && r.properties.value === status,
				);
				expect(rule?.properties.message).toContain(
					'The test did not follow it, so the access token was sent nowhere else.',
				);
			} finally {
				await other.stop();
			}
		},
	);

	test('a redirect within the same host is not followed either', async () => {
		sandbox.injectFault({
			path: '/v1/lms/settlements/',
			status: 302,
			location: '/v1/lms/settlements/?again=1',
		});
		const result = await runWorkflow({
			parameters: {},
			credentials: { baseUrl: url, accessToken: TOKEN },
			node: { type: 'test.credentialTest', nodeType: credentialTestNode },
		});
		expect(result.error).toMatchObject({ httpCode: '302' });
		expect(sandbox.requests).toHaveLength(1);
	});
});
