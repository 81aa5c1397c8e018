/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The node's two versions through n8n-core's engine against the sandbox: a workflow saved
 * with version 1 (IDs as text, Simplify) gets exactly what it got, and version 2 (IDs as
 * resource locators, Output Simplified / Raw / Selected Fields) gets what its fields say.
 * Each output is held against the answer the sandbox's own log recorded.
 */
import { NodeHelpers, type INode, type INodeType } from 'n8n-workflow';
import path from 'node:path';

import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

const root = path.resolve(__dirname, '..');
const { Crego } = require(path.join(root, 'dist/nodes/Crego/Crego.node.js')) as {
	Crego: new () => INodeType;
};
const { CREGO_OBJECTS, TEN_FIELDS } = require(
	path.join(root, 'dist/nodes/Crego/model/cregoObjects.js'),
) as {
	CREGO_OBJECTS: Record<string, Record<string, { simple?: boolean; kind: unknown }>>;
	TEN_FIELDS: Record<string, string[]>;
};

/** A version 2 ID, as the editor saves a resource locator. */
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** One item per operation; `id` names the ID parameters, given as text (v1) or a locator (v2). */
const OPERATIONS = [
	{
		name: 'loan/initiateRefund',
		object: 'payout',
		fields: { amount: '1500.5', refundType: 'cashback_refund' },
		ids: { loanId: ids.DOCS_LOAN_ID },
	},
	{
		name: 'loan/initiateAdjustment',
		object: 'record',
		fields: { amount: '25', adjustmentType: 'holdback' },
		ids: { loanId: ids.DOCS_LOAN_ID },
	},
	{
		name: 'payout/requestTranche',
		object: 'payout',
		fields: { amount: '5000' },
		ids: { loanId: ids.DOCS_TRANCHE_LOAN_ID },
	},
	{
		name: 'payout/process',
		object: 'payout',
		fields: { utr: 'UTR123', processedAt: '2023-08-28', debitBankId: ids.DOCS_DEBIT_BANK_ID },
		ids: { payoutId: ids.DOCS_PAYOUT_ID },
	},
	{
		name: 'record/get',
		object: 'record',
		fields: { includePayouts: true },
		ids: { recordId: ids.DOCS_RECORD_ID },
	},
	{
		name: 'settlement/getAll',
		object: 'settlement',
		fields: { returnAll: false, limit: 2 },
		ids: {},
	},
] as const;

type Operation = (typeof OPERATIONS)[number];

function parametersOf(operation: Operation, version: number, output: Record<string, unknown>) {
	const [resource, name] = operation.name.split('/');
	const idValues = Object.fromEntries(
		Object.entries(operation.ids).map(([key, value]) => [key, version === 1 ? value : byId(value)]),
	);
	return { resource, operation: name, ...operation.fields, ...idValues, ...output };
}

/** Crego's objects as the sandbox answered them: the body, or a page's results. */
function answered(): Array<Record<string, unknown>> {
	expect(sandbox.requests).toHaveLength(1);
	const { response } = sandbox.requests[0];
	return Array.isArray(response.results)
		? (response.results as Array<Record<string, unknown>>)
		: [response];
}

/** An item's Crego fields: without what the node adds to a write's item (`sent`). */
function cregoPart(json: Record<string, unknown>) {
	const { sent, ...crego } = json;
	return sent === undefined || typeof sent === 'object' ? crego : json;
}

async function run(operation: Operation, version: number, output: Record<string, unknown>) {
	const result = await sandbox.run(parametersOf(operation, version, output), {
		typeVersion: version,
	});
	expect(result.error).toBeUndefined();
	const items = result.output.map((item) => cregoPart(item.json));
	return { items, answers: answered() };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+05:30$/;

describe.each(OPERATIONS)('$name', (operation) => {
	const spec = CREGO_OBJECTS[operation.object];
	const ten = TEN_FIELDS[operation.object];

	test('version 1, Simplify on: the fields marked simple, as before version 2', async () => {
		const { items, answers } = await run(operation, 1, { simple: true });
		items.forEach((item, index) => {
			const expected = Object.keys(answers[index]).filter((key) => spec[key]?.simple);
			expect(Object.keys(item)).toEqual(expected);
			expect(Object.keys(item).length).toBeGreaterThan(10);
		});
	});

	test("version 1, Simplify off: Crego's answer untouched", async () => {
		const { items, answers } = await run(operation, 1, { simple: false });
		expect(items.length).toBeGreaterThan(0);
		expect(items).toEqual(answers.slice(0, items.length));
	});

	test('version 2, Output Simplified (the default): the ten fields, in their order, dates readable', async () => {
		const { items, answers } = await run(operation, 2, {});
		items.forEach((item, index) => {
			expect(Object.keys(item)).toEqual(ten.filter((key) => key in answers[index]));
			expect(Object.keys(item).length).toBeLessThanOrEqual(10);
			for (const key of Object.keys(item))
				if (spec[key].kind === 'timestamp' && typeof answers[index][key] === 'number')
					expect(item[key]).toMatch(ISO);
		});
	});

	test("version 2, Output Raw: Crego's answer untouched", async () => {
		const { items, answers } = await run(operation, 2, { output: 'raw' });
		expect(items.length).toBeGreaterThan(0);
		expect(items).toEqual(answers.slice(0, items.length));
	});

	test('version 2, Output Selected Fields: the ID and the chosen fields, whole and readable', async () => {
		const { items, answers } = await run(operation, 2, {
			output: 'selected',
			fields: ['amount', 'created_at', 'account'],
		});
		items.forEach((item, index) => {
			expect(Object.keys(item)).toEqual(['id', 'amount', 'created_at', 'account']);
			expect(item.id).toBe(answers[index].id);
			expect(item.account).toBe(answers[index].account);
			expect(item.created_at).toMatch(ISO);
		});
	});
});

test('version 2: a nested object chosen in Selected Fields comes whole (every field of the bank account)', async () => {
	const result = await sandbox.run(
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: byId(ids.DOCS_LOAN_ID),
			amount: '10',
			refundType: 'cashback_refund',
			output: 'selected',
			fields: 'credit_bank, status',
		},
		{ typeVersion: 2 },
	);
	expect(result.error).toBeUndefined();
	const [answer] = answered();
	const item = cregoPart(result.output[0].json);
	expect(Object.keys(item)).toEqual(['id', 'credit_bank', 'status']);
	expect(Object.keys(item.credit_bank as object)).toEqual(
		Object.keys(answer.credit_bank as object),
	);
});

/** Version 2 refunds with the Loan ID locator mapped from each item's `loan`. */
const mappedRefund = (extra: Record<string, unknown>) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: byId('={{ $json.loan }}'),
	refundType: 'cashback_refund',
	...extra,
});

test('version 2: a locator mapped by an expression is read per item', async () => {
	const result = await sandbox.run(mappedRefund({ amount: '={{ $json.amount }}' }), {
		typeVersion: 2,
		items: [
			{ loan: ids.DEMO_LOAN_IDS[0], amount: 10 },
			{ loan: ` ${ids.DEMO_LOAN_IDS[1]} `, amount: 20 },
		],
	});
	expect(result.error).toBeUndefined();
	expect(sandbox.requests.map((request) => request.path)).toEqual([
		`/v1/lms/loans/${ids.DEMO_LOAN_IDS[0]}/refunds/`,
		`/v1/lms/loans/${ids.DEMO_LOAN_IDS[1]}/refunds/`,
	]);
});

test('version 2: a mapped value that is not a Crego ID names the field and the row, and nothing is sent', async () => {
	const result = await sandbox.run(
		mappedRefund({ amount: '10', options: { rowNumber: '={{ $json.row }}' } }),
		{
			typeVersion: 2,
			items: [
				{ row: 2, loan: ids.DEMO_LOAN_IDS[0] },
				{ row: 3, loan: 'LN-0042' },
			],
		},
	);
	expect(result.error?.message).toBe('Row 3: Loan ID is not a Crego ID (a UUID): "LN-0042"');
	expect(sandbox.requests).toHaveLength(0);
});

test('version 2: the settlements Loan ID filter is a locator too', async () => {
	const result = await sandbox.run(
		{
			resource: 'settlement',
			operation: 'getAll',
			returnAll: false,
			limit: 1,
			filters: { loanId: byId(ids.DEMO_LOAN_IDS[0]) },
		},
		{ typeVersion: 2 },
	);
	expect(result.error).toBeUndefined();
	expect(sandbox.requests[0].query).toMatchObject({ loan: ids.DEMO_LOAN_IDS[0] });
});

test.each([
	['a list', ['amount', 'no_such_field'], '["amount","no_such_field"]'],
	['names separated by commas', 'amount, no_such_field', '"amount, no_such_field"'],
])(
	'version 2: Selected Fields naming a field Crego has not (%s) refuses the run before sending',
	async (_how, fields, shown) => {
		const result = await sandbox.run(
			{
				resource: 'record',
				operation: 'get',
				recordId: byId(ids.DOCS_RECORD_ID),
				output: 'selected',
				fields,
			},
			{ typeVersion: 2 },
		);
		expect(result.error?.message).toBe(
			`Item 0: Fields names no field of a Crego record: no_such_field: ${shown}`,
		);
		expect(sandbox.requests).toHaveLength(0);
	},
);

test('version 2: API Request keeps its Simplify switch (off: the answer untouched)', async () => {
	const api = await sandbox.run(
		{
			resource: 'apiRequest',
			operation: 'send',
			method: 'GET',
			path: `/v1/lms/records/${ids.DOCS_RECORD_ID}/`,
			simple: false,
		},
		{ typeVersion: 2 },
	);
	expect(api.error).toBeUndefined();
	expect(api.output[0].json).toEqual(sandbox.requests[0].response);
});

describe('what the editor shows on each version (n8n-workflow resolves the @version display options)', () => {
	const nodeType = new Crego();
	const shown = (version: number, parameters: Record<string, unknown>) => {
		const node = {
			id: 'n',
			name: 'Crego',
			type: 'crego',
			typeVersion: version,
			position: [0, 0],
			parameters,
		} as unknown as INode;
		return NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			parameters as never,
			true,
			false,
			node,
			nodeType.description,
		)!;
	};

	test('a new refund on version 1: Loan ID as text and Simplify', () => {
		const parameters = shown(1, { resource: 'loan', operation: 'initiateRefund' });
		expect(parameters.loanId).toBe('');
		expect(parameters.simple).toBe(true);
		expect(parameters).not.toHaveProperty('output');
	});

	test('a new refund on version 2: Loan ID as a locator By ID and Output Simplified', () => {
		const parameters = shown(2, { resource: 'loan', operation: 'initiateRefund' });
		expect(parameters.loanId).toEqual({ __rl: true, mode: 'id', value: '' });
		expect(parameters.output).toBe('simplified');
		expect(parameters).not.toHaveProperty('simple');
		expect(parameters).not.toHaveProperty('fields');
		expect(
			shown(2, { resource: 'loan', operation: 'initiateRefund', output: 'selected' }).fields,
		).toEqual([]);
	});

	test('Update Loan Params on version 2 has neither; API Request has Simplify on both', () => {
		const update = shown(2, { resource: 'account', operation: 'updateLoanParams' });
		expect(update).not.toHaveProperty('simple');
		expect(update).not.toHaveProperty('output');
		expect(shown(1, { resource: 'account', operation: 'updateLoanParams' }).simple).toBe(true);
		for (const version of [1, 2])
			expect(shown(version, { resource: 'apiRequest', operation: 'send' }).simple).toBe(true);
	});
});
