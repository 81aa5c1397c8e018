/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Every way a value arrives, for every switch and number the node has: the fields are
 * found by walking the node's own description (top level and inside its collections),
 * so a field added later is covered without a new test. Each is given typed, from an
 * expression, and as text a sheet would give; the forms a kind accepts must pass, the
 * others must be refused naming the field, the item and the value, with nothing sent.
 */
import type { INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';

import { cregoNodeType } from './helpers/engine';
import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();
const description = cregoNodeType().description;

/** A valid item for each operation, so that only the field under test can be wrong. Writes only validate. */
const BASE: Record<string, Record<string, unknown>> = {
	'account.updateLoanParams': { leadId: ids.DEMO_LOAN_IDS[0], programId: ids.DEMO_LOAN_IDS[1] },
	'apiRequest.send': { method: 'GET', path: '/v1/lms/settlements/' },
	'loan.initiateAdjustment': { loanId: ids.DOCS_LOAN_ID, amount: 1, adjustmentType: 'cashback' },
	'loan.initiateRefund': { loanId: ids.DOCS_LOAN_ID, amount: 1, refundType: 'cashback_refund' },
	'payout.process': {
		payoutId: ids.DOCS_PAYOUT_ID,
		utr: 'UTR1',
		processedAt: '2023-08-28',
		debitBankId: ids.DOCS_DEBIT_BANK_ID,
	},
	'payout.requestTranche': { loanId: ids.DOCS_TRANCHE_LOAN_ID, amount: 1 },
	'record.get': { recordId: ids.DOCS_RECORD_ID },
	'settlement.getAll': {},
};
/** Fields read only in another situation: by an AI agent, or (API Request) for a write, while the base request is a GET (n8n hides them then). */
const NOT_READ_HERE = [
	'options.allowAgentWrites',
	'apiRequest.send:options.sendAgain',
	'apiRequest.send:options.duplicateGuard',
];

/** A valid value of each number field, as a number (ranges differ per field). */
const VALID_NUMBER: Record<string, number> = {
	amount: 12,
	'options.concurrency': 3,
	'options.requestTimeout': 5,
	limit: 12,
	'updateFields.approvedLineAmount': 12,
	'updateFields.emiCount': 12,
	'updateFields.flatRoiValue': 12,
	'updateFields.pfValue': 12,
};

/** Amounts are text fields holding numbers: a number box would start at 0 and lose what was typed. */
const AMOUNT_FIELDS = ['amount', 'approvedLineAmount'];
const holdsNumber = (property: INodeProperties) =>
	property.type === 'number' || AMOUNT_FIELDS.includes(property.name);

interface Field {
	operation: string;
	path: string;
	property: INodeProperties;
}

/** Every boolean and number field shown for each resource and operation. */
function fieldsOf(node: INodeType['description']): Field[] {
	const resources = (
		node.properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[]
	).map((o) => String(o.value));
	const fields: Field[] = [];
	for (const resource of resources) {
		const operations = node.properties
			.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))
			.flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => String(o.value)));
		for (const operation of operations) {
			const shown = node.properties.filter(
				(p) =>
					p.displayOptions?.show?.resource?.includes(resource) &&
					p.displayOptions?.show?.operation?.includes(operation),
			);
			const walk = (properties: INodeProperties[], prefix: string) => {
				for (const property of properties) {
					const path = `${prefix}${property.name}`;
					const readHere =
						!NOT_READ_HERE.includes(path) &&
						!NOT_READ_HERE.includes(`${resource}.${operation}:${path}`);
					if ((property.type === 'boolean' || holdsNumber(property)) && readHere) {
						fields.push({ operation: `${resource}.${operation}`, path, property });
					}
					if (property.type === 'collection')
						walk(property.options as INodeProperties[], `${path}.`);
				}
			};
			walk(shown, '');
		}
	}
	return fields;
}

const FIELDS = fieldsOf(description);
const WRITES = [
	'account.updateLoanParams',
	'loan.initiateAdjustment',
	'loan.initiateRefund',
	'payout.process',
	'payout.requestTranche',
];

/** The node's parameters with one field set (inside its collection when it has one). */
function parametersWith({ operation, path }: Field, value: unknown): Record<string, unknown> {
	const [resource, op] = operation.split('.');
	const parameters: Record<string, unknown> = { resource, operation: op, ...BASE[operation] };
	const options: Record<string, unknown> =
		WRITES.includes(operation) && path !== 'options.validateOnly' ? { validateOnly: true } : {};
	const [head, tail] = path.split('.');
	if (tail === undefined) parameters[head] = value;
	else if (head === 'options') options[tail] = value;
	else parameters[head] = { [tail]: value };
	parameters.options = options;
	return parameters;
}

const accepted = (field: Field): Array<[string, unknown]> =>
	field.property.type === 'boolean'
		? [
				['typed true', true],
				['typed false', false],
				['an expression giving true', '={{ true }}'],
				['sheet text "TRUE"', '={{ "TRUE" }}'],
				['sheet text " no "', '={{ " no " }}'],
				['sheet text "1"', '={{ "1" }}'],
			]
		: [
				[
					'typed',
					field.property.type === 'number'
						? VALID_NUMBER[field.path]
						: String(VALID_NUMBER[field.path]),
				],
				['an expression giving a number', `={{ ${VALID_NUMBER[field.path]} }}`],
				['sheet text with spaces', `={{ " ${VALID_NUMBER[field.path]} " }}`],
				...(field.property.type === 'string'
					? ([['typed with Indian grouping', '1,00,000.50']] as Array<[string, unknown]>)
					: []),
			];

const refused = (field: Field): Array<[string, unknown]> =>
	field.property.type === 'boolean'
		? [
				['"maybe"', '={{ "maybe" }}'],
				['an empty cell', '={{ "" }}'],
				['the number 2', '={{ 2 }}'],
			]
		: [
				['hex', '={{ "0x10" }}'],
				['binary', '={{ "0b11" }}'],
				['an exponent', '={{ "1e3" }}'],
				['text', '={{ "twelve" }}'],
				['an empty cell', '={{ "" }}'],
				['a negative number', '={{ -1 }}'],
				...(field.property.type === 'string'
					? ([
							['typed text', 'twelve'],
							['typed zero', '0'],
						] as Array<[string, unknown]>)
					: []),
			];

const cases = (kind: 'accepted' | 'refused') =>
	FIELDS.flatMap((field) =>
		(kind === 'accepted' ? accepted(field) : refused(field)).map(
			([form, value]) => [field.operation, field.path, form, value, field] as const,
		),
	);

test('the walk finds every switch and number of the node', () => {
	const found = FIELDS.map((f) => `${f.operation}:${f.path}`);
	for (const expected of [
		'loan.initiateRefund:amount',
		'loan.initiateRefund:options.validateOnly',
		'record.get:includePayouts',
		'settlement.getAll:limit',
		'apiRequest.send:options.followPages',
		'account.updateLoanParams:updateFields.emiCount',
		'payout.process:simple',
	]) {
		expect(found).toContain(expected);
	}
	process.stderr.write(
		`value forms: ${FIELDS.length} fields, ${cases('accepted').length} accepted and ${cases('refused').length} refused forms\n`,
	);
});

test.each(cases('accepted'))(
	'%s %s: %s is accepted',
	async (_operation, _path, _form, value, field) => {
		const result = await sandbox.run(parametersWith(field, value));
		expect(result.error?.message ?? '').not.toMatch(
			new RegExp(`^Item 0: ${field.property.displayName.replace(/[()]/g, '\\$&')} `),
		);
	},
);

test.each(cases('refused'))(
	'%s %s: %s is refused, naming field, item and value',
	async (_operation, _path, _form, value, field) => {
		const result = await sandbox.run(parametersWith(field, value));
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(
			new RegExp(`^Item 0: ${field.property.displayName.replace(/[()]/g, '\\$&')} (is|must) `),
		);
		// What the person typed is what the error shows.
		if (typeof value === 'string' && !value.startsWith('='))
			expect(result.error?.message).toContain(JSON.stringify(value));
		expect(sandbox.requests).toEqual([]);
	},
);
