import type { IDataObject } from 'n8n-workflow';

import {
	AMOUNT_FIELDS,
	CREGO_OBJECTS,
	nestedName,
	TEN_FIELDS,
	TIMESTAMP_FIELDS,
	type CregoObjectName,
	type FieldSpec,
	type ObjectKind,
} from '../model/cregoObjects';
import { EXACT_DIGITS } from '../values/decimal';
import { formatInZone } from '../values/timezone';

/**
 * Crego's JSON made readable ("Simplify"): the fields a finance user acts on, dates and
 * timestamps as ISO 8601 in the business timezone, and amounts without binary float
 * noise (36673.740000000005 → 36673.74; 100.2347 stays). Which fields, and which are
 * timestamps or amounts, model/cregoObjects.ts says. Simplify off returns Crego's JSON
 * untouched. A value Simplify cannot read (a timestamp in microseconds, out of any
 * date's range) is kept as Crego sent it, and its field is named (`kept`): Simplify
 * never fails an answer.
 */

export interface Simplified {
	json: IDataObject;
	/** Fields whose value was kept as Crego sent it (paths such as "created_at" or "payouts.0.created_at"). */
	kept: string[];
}

/**
 * Which fields an object keeps. `simple`: version 1's Simplify (the fields marked simple,
 * in Crego's order). `ten`: version 2's Simplified (TEN_FIELDS, in that order). `whole`:
 * every field. Every kept value is made readable the same way.
 */
export type Depth = 'simple' | 'ten' | 'whole';

export interface FieldChoice {
	depth: Depth;
	/** Version 2's Selected Fields: the ID and these, in this order, nested objects whole. */
	fields?: readonly string[];
}

export function simplify(
	json: IDataObject,
	kind: ObjectKind,
	zone: string,
	choice: FieldChoice = { depth: 'simple' },
): Simplified {
	const name = kind === 'any' || kind === 'empty' ? undefined : kind;
	const kept: string[] = [];
	const read = { zone, kept, depth: choice.fields ? ('whole' as const) : choice.depth };
	const keys = choice.fields
		? [...new Set(['id', ...choice.fields])].filter((key) => Object.hasOwn(json, key))
		: undefined;
	return { json: simplifyObject(json, name, '', read, keys), kept };
}

interface Reading {
	zone: string;
	kept: string[];
	depth: Depth;
}

/** The keys an object keeps, in the order the output shows them. */
function keysOf(json: IDataObject, name: CregoObjectName | undefined, depth: Depth): string[] {
	const present = Object.keys(json);
	if (!name || depth === 'whole') return present;
	const ten = TEN_FIELDS[name];
	if (depth === 'ten' && ten) return ten.filter((key) => Object.hasOwn(json, key));
	return present.filter((key) => CREGO_OBJECTS[name][key]?.simple);
}

/** A described object keeps the fields its depth chooses; an unknown one keeps all, read by their names at every depth. */
function simplifyObject(
	json: IDataObject,
	name: CregoObjectName | undefined,
	path: string,
	read: Reading,
	keys = keysOf(json, name, read.depth),
): IDataObject {
	const spec = name ? CREGO_OBJECTS[name] : undefined;
	const result: IDataObject = {};
	for (const key of keys) {
		setOwn(result, key, readable(key, spec?.[key], json[key], `${path}${key}`, read));
	}
	return result;
}

function readable(
	key: string,
	field: FieldSpec | undefined,
	value: unknown,
	path: string,
	read: Reading,
): IDataObject[string] {
	const isTimestamp = field ? field.kind === 'timestamp' : TIMESTAMP_FIELDS.has(key);
	const isAmount = field ? field.kind === 'amount' : AMOUNT_FIELDS.has(key);
	// Floor, not round: 23:59:59.999999 (Crego's end of a business day) must stay on that day.
	if (typeof value === 'number' && isTimestamp) {
		const instant = Math.floor(value * 1000);
		if (Number.isFinite(instant) && Math.abs(instant) <= MAX_DATE_MS)
			return formatInZone(instant, read.zone);
		read.kept.push(path);
		return value;
	}
	if (typeof value === 'number' && isAmount) return withoutFloatNoise(value);
	const nested = field && nestedName(field);
	if (nested && isObject(value)) return simplifyObject(value, nested, `${path}.`, read);
	// An unknown answer (API Request: a page envelope, a list…) is read all the way down by names.
	if (!field && isObject(value)) return simplifyObject(value, undefined, `${path}.`, read);
	if (!field && Array.isArray(value)) {
		return value.map((entry, index) =>
			isObject(entry) ? simplifyObject(entry, undefined, `${path}.${index}.`, read) : entry,
		) as IDataObject[];
	}
	return value as IDataObject[string];
}

/** The last instant a JavaScript date can hold, less a day so no timezone offset crosses it. */
const MAX_DATE_MS = 8.64e15 - 86_400_000;

/**
 * 36673.740000000005 → 36673.74: fifteen significant digits, what a JSON number holds
 * exactly, keep every amount up to 10^12 with its paise (123456789012.34 stays).
 */
export function withoutFloatNoise(value: number): number {
	return Number.isFinite(value) ? Number(value.toPrecision(EXACT_DIGITS)) : value;
}

/** Sets a key as the object's own, even "__proto__" (a plain assignment would replace the prototype instead). */
function setOwn(object: IDataObject, key: string, value: IDataObject[string]) {
	Object.defineProperty(object, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
