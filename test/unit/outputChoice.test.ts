/**
 * Version 2's pure parts: the Output choice as read from the node (Simplified / Raw /
 * Selected Fields; version 1's Simplify), the field names Selected Fields takes, what each
 * depth keeps of a Crego object, and IDs given as resource locators.
 */
import type { IDataObject } from 'n8n-workflow';

import { OPERATIONS } from '../../nodes/Crego/actions/operations';
import { CREGO_OBJECTS, TEN_FIELDS } from '../../nodes/Crego/model/cregoObjects';
import { parseFieldNames, readOutputChoice } from '../../nodes/Crego/run/outputChoice';
import { simplify } from '../../nodes/Crego/run/simplify';
import { InvalidValue } from '../../nodes/Crego/values/invalidValue';
import { mockContext } from './helpers/mockContext';

const LOAN = 'f59b69c8-9e47-46a1-b2c9-83ae42666a30';

const choiceOf = (version: number, parameters: Record<string, unknown>, kind = 'payout' as const) =>
	readOutputChoice(mockContext([parameters], { node: { typeVersion: version } }), kind);

test.each([
	[1, {}, { depth: 'simple' }],
	[1, { simple: false }, 'raw'],
	[1, { simple: 'false' }, 'raw'],
	// A version 1 node never reads Output, even if a parameter of that name is there.
	[1, { output: 'raw' }, { depth: 'simple' }],
	[2, {}, { depth: 'ten' }],
	[2, { output: 'raw' }, 'raw'],
	[2, { output: 'selected', fields: ['amount'] }, { depth: 'whole', fields: ['amount'] }],
	[2, { output: 'selected' }, { depth: 'whole', fields: [] }],
	// Version 2's Simplify switch is API Request's alone: ignored here.
	[2, { simple: false }, { depth: 'ten' }],
])('version %i with %j: %j', (version, parameters, expected) => {
	expect(choiceOf(version, parameters)).toEqual(expected);
});

test('API Request and Update Loan Params keep the Simplify switch on version 2', () => {
	const context = mockContext([{ simple: false, output: 'selected' }], {
		node: { typeVersion: 2 },
	});
	expect(readOutputChoice(context, 'any')).toBe('raw');
	expect(readOutputChoice(context, 'empty')).toBe('raw');
});

test('Selected Fields takes a list or names separated by commas, and refuses a name Crego has not', () => {
	expect(parseFieldNames(['amount', ' status '], 'payout')).toEqual(['amount', 'status']);
	expect(parseFieldNames('amount, status,', 'payout')).toEqual(['amount', 'status']);
	expect(parseFieldNames('', 'payout')).toEqual([]);
	expect(parseFieldNames(undefined, 'payout')).toEqual([]);
	expect(() => parseFieldNames('amount, amout', 'payout')).toThrow(
		new InvalidValue('names no field of a Crego payout: amout', ''),
	);
	expect(() => parseFieldNames(['constructor'], 'record')).toThrow(InvalidValue);
	expect(() => parseFieldNames(7, 'record')).toThrow(InvalidValue);
});

test('every object with ten fields lists at most ten, each a field of the object', () => {
	for (const [name, fields] of Object.entries(TEN_FIELDS)) {
		expect(fields!.length).toBeLessThanOrEqual(10);
		expect(fields![0]).toBe('id');
		for (const field of fields!) expect(CREGO_OBJECTS[name as 'payout']).toHaveProperty(field);
	}
});

describe('what each depth keeps of a payout', () => {
	const payout: IDataObject = Object.fromEntries(
		Object.keys(CREGO_OBJECTS.payout).map((field) => [field, `${field}-value`]),
	);
	Object.assign(payout, {
		created_at: 1693161000.5,
		amount: 36673.740000000005,
		credit_bank: { account_no: '0001', ifsc: 'HDFC0001', created_at: 1693161000, tags: [] },
		extra_field_from_a_newer_crego: 'x',
	});

	test('simple (version 1): the fields marked simple, in the answer’s order', () => {
		const { json } = simplify(payout, 'payout', 'Asia/Kolkata', { depth: 'simple' });
		expect(Object.keys(json)).toEqual(
			Object.keys(payout).filter((field) => CREGO_OBJECTS.payout[field]?.simple),
		);
		expect(Object.keys(json.credit_bank as object)).toEqual(['account_no', 'ifsc']);
	});

	test('ten (version 2 Simplified): TEN_FIELDS in their order, readable', () => {
		const { json } = simplify(payout, 'payout', 'Asia/Kolkata', { depth: 'ten' });
		expect(Object.keys(json)).toEqual(TEN_FIELDS.payout);
		expect(json.created_at).toBe('2023-08-28T00:00:00.500+05:30');
		expect(json.amount).toBe(36673.74);
	});

	test('whole with fields (version 2 Selected Fields): the ID first, then the chosen, nested objects whole', () => {
		const { json } = simplify(payout, 'payout', 'Asia/Kolkata', {
			depth: 'whole',
			fields: ['credit_bank', 'amount', 'id'],
		});
		expect(Object.keys(json)).toEqual(['id', 'credit_bank', 'amount']);
		expect(json.credit_bank).toEqual({
			account_no: '0001',
			ifsc: 'HDFC0001',
			created_at: '2023-08-28T00:00:00.000+05:30',
			tags: [],
		});
	});

	test('a field chosen that this answer lacks is left out, not invented', () => {
		const { json } = simplify({ id: 'p1' }, 'payout', 'Asia/Kolkata', {
			depth: 'whole',
			fields: ['utr'],
		});
		expect(json).toEqual({ id: 'p1' });
	});
});

test('version 2 IDs: a resource locator gives the same request as version 1 text', () => {
	const refund = OPERATIONS.loan.initiateRefund;
	const asText = { loanId: LOAN, amount: '10', refundType: 'cashback_refund' };
	const asLocator = { ...asText, loanId: { __rl: true, mode: 'id', value: ` ${LOAN} ` } };
	const v1 = refund.prepareRequest.call(mockContext([asText]), 0);
	const v2 = refund.prepareRequest.call(mockContext([asLocator], { node: { typeVersion: 2 } }), 0);
	expect(v2).toEqual(v1);
	// The locator's default, when a saved workflow leaves the ID out: empty, refused as empty.
	const empty = { ...asText, loanId: { mode: 'id', value: '' } };
	expect(() => refund.prepareRequest.call(mockContext([empty]), 0)).toThrow(
		/^Item 0: Loan ID is empty$/,
	);
});
