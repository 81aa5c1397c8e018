/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Crego's errors in the user's words. Every error answer the sandbox can produce is
 * provoked through n8n-core's engine (the node's own operations where they can reach it,
 * API Request where the node's own checks stop a bad value first, an injected fault for
 * the answers only a real server gives) and its headline must read as README.md's table
 * says: the item first, the field by its display name, Crego's stock sentence in plain
 * words, and Crego's own text once in the description with status, method and path.
 */
import fs from 'node:fs';
import path from 'node:path';

import { FIELD_RULES, GENERAL_RULES } from '../nodes/Crego/transport/cregoWords';
import { outcomeOf } from './helpers/outcome';
import { ids, WRONG_TOKEN } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const REFUNDS = `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`;

const api = (method: string, target: string, body?: unknown) => ({
	resource: 'apiRequest',
	operation: 'send',
	method,
	path: target,
	...(body === undefined ? {} : { jsonBody: JSON.stringify(body) }),
});

/** [what, parameters, the headline, Crego's words the description must quote, a fault to inject] */
const CASES: Array<[string, Record<string, unknown>, string, string, Record<string, unknown>?]> = [
	[
		'refund for an unknown loan',
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: UNKNOWN,
			amount: '1',
			refundType: 'cashback_refund',
		},
		`Crego has no loan ${UNKNOWN} (Loan ID)`,
		'Not found.',
	],
	[
		'adjustment for an unknown loan',
		{
			resource: 'loan',
			operation: 'initiateAdjustment',
			loanId: UNKNOWN,
			amount: '1',
			adjustmentType: 'cashback',
		},
		`Crego has no loan ${UNKNOWN} (Loan ID)`,
		'Not found.',
	],
	[
		'tranche for an unknown loan',
		{ resource: 'payout', operation: 'requestTranche', loanId: UNKNOWN, amount: '1' },
		`Crego has no loan ${UNKNOWN} (Loan ID)`,
		`loan_id: Invalid pk "${UNKNOWN}" - object does not exist.`,
	],
	[
		'an unknown payout',
		{
			resource: 'payout',
			operation: 'process',
			payoutId: UNKNOWN,
			utr: 'U1',
			processedAt: '2023-08-28',
			debitBankId: ids.DOCS_DEBIT_BANK_ID,
		},
		`Crego has no payout ${UNKNOWN} (Payout ID)`,
		'Not found.',
	],
	[
		'an unknown debit bank',
		{
			resource: 'payout',
			operation: 'process',
			payoutId: ids.DOCS_PAYOUT_ID,
			utr: 'U1',
			processedAt: '2023-08-28',
			debitBankId: UNKNOWN,
		},
		`Crego has no debit bank account ${UNKNOWN} (Debit Bank ID)`,
		`debit_bank_id: Invalid pk "${UNKNOWN}" - object does not exist.`,
	],
	[
		'an unknown record',
		{ resource: 'record', operation: 'get', recordId: UNKNOWN },
		`Crego has no record ${UNKNOWN} (Record ID)`,
		'Not found.',
	],
	[
		'required fields missing',
		api('POST', REFUNDS, {}),
		'Crego needs amount, and none was sent; Crego needs type, and none was sent',
		'amount: This field is required.',
	],
	[
		'not a number, not a choice',
		api('POST', REFUNDS, { amount: 'abc', type: 'excess' }),
		'amount must be a number: "abc"; Crego does not accept "excess" as type',
		'type: "excess" is not a valid choice.',
	],
	[
		'a negative amount',
		api('POST', REFUNDS, { amount: -5, type: 'cashback_refund' }),
		'amount must be more than 0: -5',
		'amount: Ensure this value is greater than 0.',
	],
	[
		'a loan ID that is no UUID',
		api('POST', '/v1/lms/payouts/add_tranche/', { loan_id: 'LN-1', amount: 1 }),
		'loan_id is not a Crego ID (a UUID): "LN-1"',
		'loan_id: Must be a valid UUID.',
	],
	[
		'blank, fractional and missing payout fields',
		api('PUT', `/v1/lms/payouts/${ids.DOCS_PAYOUT_ID}/mark_processed/`, {
			utr: ' ',
			processed_at: 1.5,
		}),
		'utr may not be empty; processed_at must be a whole number: 1.5; Crego needs debit_bank_id, and none was sent',
		'utr: This field may not be blank.',
	],
	[
		'a UTR that is not text',
		api('PUT', `/v1/lms/payouts/${ids.DOCS_PAYOUT_ID}/mark_processed/`, {
			utr: true,
			processed_at: 1693161000,
			debit_bank_id: ids.DOCS_DEBIT_BANK_ID,
		}),
		'utr must be text: true',
		'utr: Not a valid string.',
	],
	[
		'a settlement filter that is no UUID',
		{
			...api('GET', '/v1/lms/settlements/'),
			queryParameters: { parameter: [{ name: 'loan', value: 'abc' }] },
		},
		'loan is not a Crego ID (a UUID): "abc"',
		'loan: “abc” is not a valid UUID.',
	],
	[
		'loan params of the wrong kinds',
		api('PATCH', '/v1/lms/accounts/initiate_loan_params/', {
			lead_id: 5,
			program_id: ids.DEMO_LOAN_IDS[0],
			line_detail: 'x',
		}),
		'lead_id must be text: 5; line_detail must be a group of fields (a JSON object)',
		'lead_id: Not a valid string.',
	],
	[
		'a method the address does not take',
		api('PUT', REFUNDS, { amount: 1 }),
		'Crego does not accept PUT at this address',
		'Method "PUT" not allowed.',
	],
	[
		'an address with nothing',
		api('GET', '/v1/lms/nothing/'),
		'Crego has nothing at GET /v1/lms/nothing/',
		'Not found.',
	],
	[
		'permission denied',
		{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
		"Crego denied permission: the token's user may not do this",
		'You do not have permission to perform this action.',
		{ status: 403, body: { detail: 'You do not have permission to perform this action.' } },
	],
	[
		'throttled',
		{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
		'Crego is limiting requests (throttled): it accepts more in 1 s',
		'Request was throttled. Expected available in 1 seconds.',
		{
			status: 429,
			times: 0,
			retryAfter: 0,
			body: { detail: 'Request was throttled. Expected available in 1 seconds.' },
		},
	],
	[
		'a body Crego cannot parse',
		{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
		'Crego could not read the request body as JSON',
		'JSON parse error - Unexpected token',
		{ status: 400, body: { detail: 'JSON parse error - Unexpected token' } },
	],
	[
		'a body of another type',
		{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
		'Crego does not accept a body of type text/plain',
		'Unsupported media type "text/plain" in request.',
		{ status: 415, body: { detail: 'Unsupported media type "text/plain" in request.' } },
	],
	[
		'a message no rule knows',
		{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
		'Crego rejected the request: Record is locked',
		'Record is locked.',
		{ status: 400, body: { non_field_errors: ['Record is locked.'] } },
	],
	[
		'a field message no rule knows',
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: ids.DOCS_LOAN_ID,
			amount: '1',
			refundType: 'cashback_refund',
		},
		'Crego refused Amount: Exceeds the cashback balance',
		'amount: Exceeds the cashback balance.',
		{ status: 400, body: { amount: ['Exceeds the cashback balance.'] } },
	],
];

test.each(CASES)('%s', async (...[, parameters, headline, cregoSaid, fault]) => {
	if (fault)
		sandbox.injectFault({ method: parameters.resource === 'record' ? 'GET' : 'POST', ...fault });
	const result = await sandbox.run(parameters, { onError: 'continueRegularOutput' });
	const [item] = result.output;
	expect(item.json.error).toBe(`Item 0: ${headline}`);
	const message = item.json.message as Record<string, unknown>;
	const description = String(message.description);
	// Crego's own words once, with the status and the request's method and path.
	expect(description.split(cregoSaid).length - 1).toBe(1);
	expect(description).toMatch(
		/^(Crego did not do it: fix the value and send the row again\.\n|Tried \d+ times\.\n)?Crego answered HTTP \d{3} to (GET|POST|PUT|PATCH) \/v1\/lms\/\S*/,
	);
	// No doubled or dangling punctuation (a list of Crego's messages follows a line ending in a colon).
	expect(`${item.json.error}\n${description}`).not.toMatch(
		/\.\.(?!\.)|\. -|[.:;,] *[.;,]|[:;,]\s*$(?!\n- )/m,
	);
	expect(message.httpStatus).toBe(
		Number(result.output[0] && /HTTP (\d{3})/.exec(description)?.[1]),
	);
	expect(['rejected', 'failed', 'notSent']).toContain(outcomeOf(item));
	expect(sandbox.requests.length).toBeGreaterThan(0);
});

test('a wrong token reads as the table says', async () => {
	const result = await sandbox.run(
		{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
		{
			credentials: { baseUrl: sandbox.url, accessToken: WRONG_TOKEN },
			onError: 'continueRegularOutput',
		},
	);
	expect(result.output[0].json.error).toBe('Item 0: Crego refused the access token');
});

test("README's table lists every rule, with the words the rule says", () => {
	const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
	for (const rule of [...FIELD_RULES, ...GENERAL_RULES]) {
		const { crego, plain, about } = rule.example;
		const match = rule.crego.exec(crego);
		expect(match).not.toBeNull();
		expect(rule.say(match!, about)).toBe(plain);
		expect(readme).toContain(`| ${crego.replace(/\|/g, '\\|')} | ${plain.replace(/\|/g, '\\|')} |`);
	}
});
