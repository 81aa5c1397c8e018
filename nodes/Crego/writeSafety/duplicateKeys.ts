import type { IDataObject } from 'n8n-workflow';

import { canonicalDecimal } from '../values/jsonText';
import type { DuplicateKey } from '../vocabulary/request';

/**
 * The keys by which the duplicate guard recognises the same money movement, written so
 * that two rows Crego would treat as the same thing get the same key:
 * - IDs (UUIDs) compare without case;
 * - amounts compare as numbers (1500, "1500.00" and 1.5e3 are one amount);
 * - UTRs compare without case and spaces (banks print them grouped or lowercased);
 * - an API Request compares its method, its path (without case, with its trailing
 *   slash), its query parameters in any order, and its body with keys in any order and
 *   numbers and numeric strings alike.
 */

export const idKey = (id: string) => id.trim().toLowerCase();

export const amountKey = (amount: number | string) =>
	canonicalDecimal(String(amount)) ?? String(amount);

export const utrKey = (utr: string) => utr.replace(/\s+/g, '').toUpperCase();

export function apiRequestKey(
	method: string,
	path: string,
	query: IDataObject | undefined,
	body: IDataObject | undefined,
): DuplicateKey {
	const normalisedPath = path.toLowerCase().replace(/\/*$/, '/');
	return {
		key: `api|${method.toUpperCase()}|${normalisedPath}|${canonicalJson(query ?? {})}|${canonicalJson(body ?? {})}`,
		what: 'same method, path, query and body',
	};
}

/** JSON with sorted keys, and every number or numeric string as its canonical decimal. */
export function canonicalJson(value: unknown): string {
	if (typeof value === 'number') return `#${amountKey(value)}`;
	if (typeof value === 'string') {
		const decimal = canonicalDecimal(value);
		return decimal === undefined ? JSON.stringify(value) : `#${decimal}`;
	}
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.keys(value)
			.sort()
			.map(
				(key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
			);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * A row's Reference (an invoice or ticket number): compared without case or spaces
 * ("INV 7" is "inv7"), and never forgotten by the ledger. Releases before 0.1.0's
 * review kept single spaces ("INV 7"): that form is checked too.
 */
export function referenceKey(reference: string): DuplicateKey {
	const key = `ref|${reference.replace(/\s+/g, '').toUpperCase()}`;
	const legacyKey = `ref|${reference.trim().replace(/\s+/g, ' ').toUpperCase()}`;
	return {
		key,
		what: 'same Reference',
		lasts: 'always',
		...(legacyKey !== key ? { legacyKey } : {}),
	};
}

/**
 * A row's keys once it has a Reference: the Reference; the keys of what it acts on
 * (payout, UTR), which a Reference never lifts; and its other keys, shared with rows
 * that have References but still refused against a row without one.
 */
export const keysWithReference = (reference: string, keys: DuplicateKey[] = []): DuplicateKey[] => [
	referenceKey(reference),
	...keys.map((key) => (key.identity ? key : { ...key, withReference: true })),
];
