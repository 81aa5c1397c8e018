/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The schema previews the build ships (dist/nodes/Crego/__schema__/…) against what the
 * node really puts out: every operation is run through n8n-core's engine against the
 * sandbox, with Simplify on and off, and writes a second time (the row is then not sent
 * again and the output is the node's marker). The schema describes the default, Simplify
 * on: every such item must validate against it read with no extra property allowed
 * anywhere (a field the node can output that the schema lacks, or a value of another JSON
 * type, fails), and every field it lists must be output (a preview listing fields a run
 * never gives would mislead). With Simplify off, the listed fields keep their types and
 * Crego's other fields come too.
 */
import fs from 'node:fs';
import path from 'node:path';

import Ajv from 'ajv';

import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();
const SCHEMA_ROOT = path.resolve(__dirname, '..', 'dist', 'nodes', 'Crego', '__schema__');
const SCHEMAS = path.join(SCHEMA_ROOT, 'v1.0.0');
const SCHEMAS_V2 = path.join(SCHEMA_ROOT, 'v2.0.0');

/** One valid item per operation; the write ones run twice in one workflow (the second is a repeat). */
const OPERATIONS: Record<string, { parameters: Record<string, unknown>; write: boolean }> = {
	'loan/initiateRefund': {
		parameters: { loanId: ids.DOCS_LOAN_ID, amount: '1500.5', refundType: 'cashback_refund' },
		write: true,
	},
	'loan/initiateAdjustment': {
		parameters: { loanId: ids.DOCS_LOAN_ID, amount: '25', adjustmentType: 'holdback' },
		write: true,
	},
	'payout/requestTranche': {
		parameters: { loanId: ids.DOCS_TRANCHE_LOAN_ID, amount: 5000 },
		write: true,
	},
	'payout/process': {
		parameters: {
			payoutId: ids.DOCS_PAYOUT_ID,
			utr: 'UTR123',
			processedAt: '2023-08-28',
			debitBankId: ids.DOCS_DEBIT_BANK_ID,
			debitBankAccountNo: '000405060708',
		},
		write: true,
	},
	'account/updateLoanParams': {
		parameters: {
			leadId: ids.DEMO_LOAN_IDS[0],
			programId: ids.DEMO_LOAN_IDS[1],
			updateFields: { approvedLineAmount: '500000', emiCount: 12 },
		},
		write: true,
	},
	'record/get': {
		parameters: { recordId: ids.DOCS_RECORD_ID, includePayouts: true },
		write: false,
	},
	'record/get (no payouts)': {
		parameters: { recordId: ids.DEMO_RECORD_IDS[1], includePayouts: false },
		write: false,
	},
	'settlement/getAll': {
		parameters: { returnAll: true, options: { includeRecord: true } },
		write: false,
	},
	'settlement/getAll (no record)': { parameters: { returnAll: false, limit: 3 }, write: false },
};

/** The schema as shipped, made strict: no property beyond those it names, at any depth. */
function strict(schema: Record<string, unknown>): Record<string, unknown> {
	const copy: Record<string, unknown> = { ...schema };
	if (copy.properties) {
		copy.properties = Object.fromEntries(
			Object.entries(copy.properties as Record<string, Record<string, unknown>>).map(
				([key, value]) => [key, strict(value)],
			),
		);
		copy.additionalProperties = false;
	}
	if (copy.items) copy.items = strict(copy.items as Record<string, unknown>);
	return copy;
}

const ajv = new Ajv({ allErrors: true, strict: false });

function schemaOf(operation: string, folder = SCHEMAS) {
	return JSON.parse(fs.readFileSync(path.join(folder, `${operation}.json`), 'utf8'));
}

test('the build ships a schema for every operation but API Request (whose answer depends on its path)', () => {
	const shipped = fs
		.readdirSync(SCHEMAS, { recursive: true })
		.filter((file) => String(file).endsWith('.json'))
		.map((file) => String(file).replace(/\.json$/, ''))
		.sort();
	const operations = [...new Set(Object.keys(OPERATIONS).map((key) => key.split(' ')[0]))].sort();
	expect(shipped).toEqual(operations);
	for (const operation of operations) {
		const schema = schemaOf(operation);
		// n8n's editor shows a preview only for an object schema with properties.
		expect(schema.type).toBe('object');
		expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
		// ...and none at all when a type list holds "null" (null is said with `nullable`).
		expect(JSON.stringify(schema)).not.toMatch(/"type":\s*\[[^\]]*"null"/);
	}
});

const CASES = Object.entries(OPERATIONS).flatMap(([name, spec]) =>
	[true, false].map((simple) => [name, simple, spec] as const),
);

/** Per operation, the fields the Simplify-on runs output (top level), to hold against the schema's list. */
const outputFields = new Map<string, Set<string>>();
/** The fields of the node's marker for a row not sent again, and of a Retry's replay: not in every run. */
const MARKER_FIELDS = [
	'alreadySent',
	'reason',
	'sentOn',
	'sentInExecution',
	'sentAt',
	'alreadyDone',
];

test.each(CASES)(
	'%s with Simplify %s: every output item fits the shipped schema',
	async (name, simple, { parameters, write }) => {
		const operation = name.split(' ')[0];
		const [resource, op] = operation.split('/');
		const validate = ajv.compile(simple ? strict(schemaOf(operation)) : schemaOf(operation));
		const full = { resource, operation: op, simple, ...parameters };
		const workflowId = `schema-${name}-${simple}`;
		const runs = [await sandbox.run(full, { workflowId, mode: 'trigger' })];
		if (write) runs.push(await sandbox.run(full, { workflowId, mode: 'trigger' }));
		const outputs = runs.flatMap((run) => {
			expect(run.error).toBeUndefined();
			return run.output;
		});
		expect(outputs.length).toBeGreaterThan(0);
		if (write) expect(outputs.at(-1)?.json.alreadySent).toBe(true);
		for (const item of outputs) {
			const fits = validate(item.json);
			expect(fits ? [] : validate.errors).toEqual([]);
			if (simple)
				for (const key of Object.keys(item.json))
					(
						outputFields.get(operation) ?? outputFields.set(operation, new Set()).get(operation)!
					).add(key);
		}
		if (write) expect(outputs[0].json.sent).toMatchObject({ item: 0 });
	},
);

test('the preview lists only fields that Simplify (on by default) outputs', () => {
	for (const operation of new Set(Object.keys(OPERATIONS).map((key) => key.split(' ')[0]))) {
		const listed = Object.keys(schemaOf(operation).properties).filter(
			(field) => !MARKER_FIELDS.includes(field),
		);
		expect({
			operation,
			neverOutput: listed.filter((field) => !outputFields.get(operation)?.has(field)),
		}).toEqual({ operation, neverOutput: [] });
	}
});

/** Version 2: IDs as resource locators, the Output choice instead of Simplify. */
const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });
function version2(parameters: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(parameters).map(([key, value]) => [
			key,
			['loanId', 'payoutId', 'recordId'].includes(key) ? byId(value) : value,
		]),
	);
}

const CASES_V2 = Object.entries(OPERATIONS).flatMap(([name, spec]) =>
	(['simplified', 'raw', 'selected'] as const).map((output) => [name, output, spec] as const),
);
const outputFieldsV2 = new Map<string, Set<string>>();

test('version 2 ships its own previews, one per operation as version 1, none with more than ten Crego fields', () => {
	const v1 = fs.readdirSync(SCHEMAS, { recursive: true }).map(String).sort();
	expect(fs.readdirSync(SCHEMAS_V2, { recursive: true }).map(String).sort()).toEqual(v1);
	for (const file of v1.filter((entry) => entry.endsWith('.json'))) {
		const listed = Object.keys(schemaOf(file.replace(/\.json$/, ''), SCHEMAS_V2).properties);
		expect(
			listed.filter((field) => field !== 'sent' && !MARKER_FIELDS.includes(field)).length,
		).toBeLessThanOrEqual(10);
	}
});

test.each(CASES_V2)(
	'version 2, %s with Output %s: every output item fits the version 2 preview',
	async (name, output, { parameters, write }) => {
		const operation = name.split(' ')[0];
		const [resource, op] = operation.split('/');
		const schema = schemaOf(operation, SCHEMAS_V2);
		// Simplified is the default the preview describes: strict, and in its order.
		const validate = ajv.compile(output === 'simplified' ? strict(schema) : schema);
		const full = {
			resource,
			operation: op,
			...version2(parameters),
			...(output === 'simplified' ? {} : { output }),
			...(output === 'selected' ? { fields: ['amount', 'created_at'] } : {}),
		};
		const workflowId = `schema-v2-${name}-${output}`;
		const options = { workflowId, mode: 'trigger' as const, typeVersion: 2 };
		const runs = [await sandbox.run(full, options)];
		if (write) runs.push(await sandbox.run(full, options));
		const outputs = runs.flatMap((run) => {
			expect(run.error).toBeUndefined();
			return run.output;
		});
		expect(outputs.length).toBeGreaterThan(0);
		for (const item of outputs) {
			const fits = validate(item.json);
			expect(fits ? [] : validate.errors).toEqual([]);
			if (output !== 'simplified' || item.json.alreadySent) continue;
			const listed = Object.keys(schema.properties);
			const order = Object.keys(item.json).filter((key) => key !== 'sent');
			expect(order).toEqual(listed.filter((key) => order.includes(key)));
			for (const key of Object.keys(item.json))
				(
					outputFieldsV2.get(operation) ?? outputFieldsV2.set(operation, new Set()).get(operation)!
				).add(key);
		}
	},
);

test('the version 2 preview lists only fields that Output Simplified (the default) outputs', () => {
	for (const operation of new Set(Object.keys(OPERATIONS).map((key) => key.split(' ')[0]))) {
		const listed = Object.keys(schemaOf(operation, SCHEMAS_V2).properties).filter(
			(field) => !MARKER_FIELDS.includes(field) && field !== 'sent',
		);
		expect({
			operation,
			neverOutput: listed.filter((field) => !outputFieldsV2.get(operation)?.has(field)),
		}).toEqual({ operation, neverOutput: [] });
	}
});
