import type { IDataObject } from 'n8n-workflow';

import { EXACT_DIGITS } from '../values/decimal';
import { formatInZone } from '../values/timezone';

/**
 * Crego's JSON made readable ("Simplify"): the fields a finance user acts on, dates and
 * timestamps as ISO 8601 in the business timezone, and amounts without binary float
 * noise (36673.740000000005 → 36673.74; 100.2347 stays). Simplify off returns Crego's
 * JSON untouched.
 */

/** Which fields each kind of Crego object keeps. */
const KEEP: Record<ObjectKind, string[]> = {
	payout: [
		'id', 'ref_id', 'type', 'status', 'amount', 'method', 'payout_to', 'utr', 'processed_at', 'date',
		'created_at', 'loan', 'topup', 'account', 'credit_bank', 'debit_bank',
	],
	record: [
		'id', 'ref_id', 'type', 'status', 'amount', 'received_amount', 'remaining_amount', 'utr', 'date',
		'settled_at', 'bank_date', 'created_at', 'account', 'topup', 'loans', 'payouts',
	],
	settlement: [
		'id', 'date', 'amount', 'due_amount', 'outstanding_amount', 'remaining_amount', 'dpd', 'peak_dpd',
		'account', 'demand', 'record',
	],
	any: [],
};
const BANK_KEEP = ['account_holder_name', 'account_no', 'ifsc', 'bank_name', 'branch_name', 'account_type'];

const TIMESTAMPS = new Set([
	'created_at', 'updated_at', 'date', 'processed_at', 'settled_at', 'bank_date', 'revert_date', 'revert_value_date',
	'back_date_marked_on',
]);
const AMOUNTS = /^(amount|.*_amount)$/;

export type ObjectKind = 'payout' | 'record' | 'settlement' | 'any';

export function simplify(json: IDataObject, kind: ObjectKind, zone: string): IDataObject {
	const keep = KEEP[kind];
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(json)) {
		if (keep.length && !keep.includes(key)) continue;
		setOwn(result, key, readable(key, value, zone));
	}
	return result;
}

function readable(key: string, value: unknown, zone: string): IDataObject[string] {
	// Floor, not round: 23:59:59.999999 (Crego's end of a business day) must stay on that day.
	if (typeof value === 'number' && TIMESTAMPS.has(key)) return formatInZone(Math.floor(value * 1000), zone);
	if (typeof value === 'number' && AMOUNTS.test(key)) return withoutFloatNoise(value);
	if ((key === 'credit_bank' || key === 'debit_bank') && isObject(value)) return pick(value, BANK_KEEP);
	if (key === 'record' && isObject(value)) return simplify(value, 'record', zone);
	return value as IDataObject[string];
}

/**
 * 36673.740000000005 → 36673.74: fifteen significant digits, what a JSON number holds
 * exactly, keep every amount up to 10^12 with its paise (123456789012.34 stays).
 */
export function withoutFloatNoise(value: number): number {
	return Number.isFinite(value) ? Number(value.toPrecision(EXACT_DIGITS)) : value;
}

function pick(object: IDataObject, keys: string[]): IDataObject {
	return Object.fromEntries(Object.entries(object).filter(([key]) => keys.includes(key)));
}

/** Sets a key as the object's own, even "__proto__" (a plain assignment would replace the prototype instead). */
function setOwn(object: IDataObject, key: string, value: IDataObject[string]) {
	Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
