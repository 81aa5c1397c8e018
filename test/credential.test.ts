/**
 * The credential's "Test" button. n8n's CredentialsTester runs the credential's `test`
 * request through a temporary declarative node (a single property whose `routing` is
 * that request) with n8n-core's RoutingNode. This test builds the same node and runs it
 * through the engine, so the request n8n sends is the one checked here.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { credentialTestNode } from './helpers/credentialTestNode';
import { cregoApi } from './helpers/engine';
import { WRONG_TOKEN } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

const testCredential = (baseUrl: string, accessToken: string) =>
	sandbox.run(
		{},
		{
			credentials: { baseUrl, accessToken },
			node: { type: 'test.credentialTest', nodeType: credentialTestNode },
		},
	);

test('the right token passes, with GET /v1/lms/settlements/ and the Bearer header', async () => {
	const result = await testCredential(sandbox.url, sandbox.token);
	expect(result.error).toBeUndefined();
	expect(result.output[0].json).toMatchObject({ count: 28, current_page: 1, page_size: 15 });
	expect(sandbox.requests).toHaveLength(1);
	expect(sandbox.requests[0]).toMatchObject({
		method: 'GET',
		path: '/v1/lms/settlements/',
		query: {},
		rawBody: '',
		status: 200,
	});
	expect(sandbox.requests[0].headers.authorization).toBe(`Bearer ${sandbox.token}`);
});

test('a wrong token fails with 401', async () => {
	const result = await testCredential(sandbox.url, WRONG_TOKEN);
	expect(result.error?.name).toBe('NodeApiError');
	expect(result.error).toMatchObject({ httpCode: '401' });
	expect(sandbox.requests.map((r) => r.status)).toContain(401);
	expect(sandbox.requests.every((r) => r.path === '/v1/lms/settlements/')).toBe(true);
});

test('a trailing slash on the Base URL is harmless', async () => {
	const result = await testCredential(`${sandbox.url}//`, sandbox.token);
	expect(result.error).toBeUndefined();
	expect(sandbox.requests[0].path).toBe('/v1/lms/settlements/');
});

test('the credential type is what n8n shows and sends', () => {
	expect(cregoApi.name).toBe('cregoApi');
	expect(cregoApi.displayName).toBe('Crego API');
	const byName = Object.fromEntries(cregoApi.properties.map((p) => [p.name, p]));
	expect(byName.baseUrl.default).toBe('https://preprod.api.crego.io');
	expect(byName.accessToken.typeOptions?.password).toBe(true);
});

test('authenticate adds the Bearer header and keeps every other option and header', async () => {
	const { authenticate } = cregoApi;
	if (typeof authenticate !== 'function') throw new Error('authenticate is not a function');
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: 'http://127.0.0.1/x',
		headers: { Accept: 'application/json' },
	};
	const signed = await authenticate({ baseUrl: 'http://127.0.0.1', accessToken: 'a.b.c' }, options);
	expect(signed).toEqual({
		...options,
		headers: { Accept: 'application/json', Authorization: 'Bearer a.b.c' },
	});
	expect(options.headers).toEqual({ Accept: 'application/json' }); // the caller's options are not changed
});

test.each([
	// Reaches this machine's sandbox if sent, yet is not a loopback name the rule allows plain http for: the witness.
	['http://[::ffff:7f00:1]:PORT', 'uses plain http: the token would travel unencrypted'],
	['http://crego-sandbox.invalid', 'uses plain http: the token would travel unencrypted'],
	['https://user:pass@crego.invalid', 'contains a user name or password'],
	['https://crego.invalid/?next=x', 'contains a query'],
	['ftp://crego.invalid', 'uses ftp, not https'],
])(
	'the Test button with Base URL %s explains the rule and sends no token anywhere',
	async (baseUrl, problem) => {
		const result = await testCredential(
			baseUrl.replace('PORT', new URL(sandbox.url).port),
			sandbox.token,
		);
		expect(result.error?.message).toContain(`The Base URL ${problem}`);
		expect(result.error?.message).toContain('The access token was not sent.');
		expect(sandbox.requests).toHaveLength(0);
	},
);
