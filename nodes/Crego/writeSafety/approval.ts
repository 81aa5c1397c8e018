import { createHash } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { canonicalDecimal } from '../values/jsonText';
import type { NodeError } from '../vocabulary/itemResult';
import type { DuplicateKey } from '../vocabulary/request';
import { rowField, rowName } from '../vocabulary/rowNames';
import { canonicalJson } from './duplicateKeys';
import type { WriteRow } from './writeRow';

/**
 * Maker–checker. Validate Only describes the batch a run of writes would send: every
 * row's request after every value was read (or why the row is refused), in order, and a
 * digest of exactly that — the duplicate guard's canonical form, hashed. A checker
 * approves the batch; a run given it as Approved Batch prepares its own rows and sends
 * nothing unless they make the same digest, and the ledger claims the digest for ever,
 * so one approval pays once.
 */

/** One row of a batch: what it would send, or why it is refused. */
export type BatchEntry = IDataObject;

export interface Batch extends IDataObject {
	operation: string;
	rows: number;
	toSend: number;
	refused: number;
	/** The sum of the amounts to send, added as decimals (never as floats). */
	totalAmount: number;
	refusedRows: IDataObject[];
	/** Lines for the checker's email: each row to send, the total in ₹, each refused row and why. */
	summary: string;
	entries: BatchEntry[];
	digest: string;
}

/** A row of the run: its write, or the error that refuses it. */
export type BatchRow = WriteRow | NodeError;

/** Lines of the summary per list; the digest covers every row whatever the summary shows. */
const SUMMARY_ROWS = 100;
/** Changes named when a batch differs from the approved one; the rest are counted. */
const CHANGES_NAMED = 10;

/** The batch these rows make. `refusals` adds refusals Validate Only finds beyond the rows' own (repeats within the sheet): shown, not digested. */
export function describeBatch(
	context: IExecuteFunctions,
	operation: { name: string; title: string },
	rows: BatchRow[],
	refusals: Map<number, NodeError> = new Map(),
): Batch {
	const entries = entriesOf(context, rows);
	const toSend = rows.flatMap((row, itemIndex) =>
		row instanceof Error || refusals.has(itemIndex) ? [] : [{ row, itemIndex }],
	);
	const refusedRows = rows.flatMap((row, itemIndex) => {
		const error = row instanceof Error ? row : refusals.get(itemIndex);
		return error ? [{ ...rowField(context, itemIndex), reason: error.message }] : [];
	});
	const total = sumDecimals(toSend.map(({ row }) => row.sent.amount));
	const lines = [
		`${operation.title}: ${count(rows.length, 'row')}, ${toSend.length} to send, ${refusedRows.length} refused.`,
	];
	if (toSend.length) {
		lines.push('', `To send${total.any ? ` (total ₹${inRupees(total.text)})` : ''}:`);
		for (const { row, itemIndex } of toSend.slice(0, SUMMARY_ROWS))
			lines.push(
				`- ${rowName(context, itemIndex)}: ${valuesInWords(row.sent)}${row.sendAgain ? ' (Send Again)' : ''}`,
			);
		if (toSend.length > SUMMARY_ROWS) lines.push(`- and ${toSend.length - SUMMARY_ROWS} more`);
	}
	if (refusedRows.length) {
		lines.push('', 'Refused (not sent):');
		for (const refused of refusedRows.slice(0, SUMMARY_ROWS))
			lines.push(`- ${String(refused.reason)}`);
		if (refusedRows.length > SUMMARY_ROWS)
			lines.push(`- and ${refusedRows.length - SUMMARY_ROWS} more`);
	}
	const digest = digestOf(operation.name, entries);
	lines.push('', `Batch ${digest.slice(0, 12)}`);
	return {
		operation: operation.name,
		rows: rows.length,
		toSend: toSend.length,
		refused: refusedRows.length,
		totalAmount: Number(total.text),
		refusedRows,
		summary: lines.join('\n'),
		entries,
		digest,
	};
}

/** What Approved Batch names: the digest, and the rows behind it when the whole batch is given. */
export interface ApprovedBatch {
	digest: string;
	entries?: BatchEntry[];
}

/** The ledger's key for an approved batch: claimed with the run, kept for ever. */
export const approvalKey = (digest: string): DuplicateKey => ({
	key: `batch|${digest}`,
	what: 'same approved batch',
	lasts: 'always',
});

/**
 * Approved Batch as the option gives it: the batch Validate Only put out (an object, or
 * its JSON), or its digest. Anything else, an empty value included, refuses the run: a
 * mapping that finds nothing must never send unapproved rows.
 */
export function parseApprovedBatch(value: unknown, operation: string): ApprovedBatch {
	let batch = value;
	if (typeof batch === 'string') {
		const text = batch.trim();
		if (/^[0-9a-f]{64}$/i.test(text)) return { digest: text.toLowerCase() };
		try {
			batch = text.startsWith('{') ? JSON.parse(text) : undefined;
		} catch {
			batch = undefined;
		}
	}
	if (!batch || typeof batch !== 'object' || Array.isArray(batch))
		throw new ApprovalRefused(
			'Nothing sent: Approved Batch holds no batch',
			`Map the batch the validating node put out (its last item's "batch", or batch.digest). It gave ${shown(value)}.`,
		);
	const { digest, entries, operation: approvedOperation } = batch as IDataObject;
	if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/i.test(digest))
		throw new ApprovalRefused(
			'Nothing sent: Approved Batch has no digest',
			'Map the whole batch the validating node put out, or its "digest".',
		);
	if (entries === undefined) return { digest: digest.toLowerCase() };
	if (
		!Array.isArray(entries) ||
		digestOf(
			typeof approvedOperation === 'string' ? approvedOperation : operation,
			entries as BatchEntry[],
		) !== digest.toLowerCase()
	)
		throw new ApprovalRefused(
			'Nothing sent: the approved batch was changed after it was made (its rows no longer match its digest)',
			'Validate the sheet again and have the new batch approved.',
		);
	return { digest: digest.toLowerCase(), entries: entries as BatchEntry[] };
}

/**
 * Before anything is sent: the run's rows must make exactly the approved batch. The
 * refusal names what changed, by row and field.
 */
export function checkApprovedBatch(
	context: IExecuteFunctions,
	operation: string,
	rows: BatchRow[],
	approved: ApprovedBatch,
): void {
	const entries = entriesOf(context, rows);
	if (digestOf(operation, entries) === approved.digest) return;
	const changes = approved.entries ? changesBetween(approved.entries, entries) : [];
	const named = changes.slice(0, CHANGES_NAMED);
	if (changes.length > CHANGES_NAMED) named.push(`and ${changes.length - CHANGES_NAMED} more`);
	throw new ApprovalRefused(
		`Nothing sent: the rows are not the batch that was approved${named.length ? ` (${named.join('; ')})` : ''}`,
		'The sheet changed between the approval and this run. Validate it again and have the new batch approved; nothing was sent.',
	);
}

/** A refusal of the whole run, before anything is sent. */
export class ApprovalRefused extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

/** The refusal as the node gives it to n8n. */
export function approvalError(context: IExecuteFunctions, error: ApprovalRefused) {
	return new NodeOperationError(context.getNode(), error.message, {
		description: error.description,
	});
}

function entriesOf(context: IExecuteFunctions, rows: BatchRow[]): BatchEntry[] {
	return rows.map((row, itemIndex) => {
		const place = rowField(context, itemIndex);
		if (row instanceof Error) return { ...place, refused: row.message };
		const { method, path, query, body } = row.request;
		return {
			...place,
			values: row.sent,
			method,
			path,
			...(query && Object.keys(query).length ? { query } : {}),
			...(body ? { body } : {}),
			...(row.sendAgain ? { sendAgain: true } : {}),
		};
	});
}

function digestOf(operation: string, entries: BatchEntry[]): string {
	return createHash('sha256').update(canonicalJson({ operation, entries })).digest('hex');
}

/** Row by row, in words: rows added or removed, a field changed, a row refused or fixed. */
function changesBetween(approved: BatchEntry[], now: BatchEntry[]): string[] {
	const nameOf = (entry: BatchEntry) =>
		entry.row !== undefined ? `Row ${String(entry.row)}` : `Item ${String(entry.item)}`;
	const byName = (entries: BatchEntry[]) => new Map(entries.map((entry) => [nameOf(entry), entry]));
	const before = byName(approved);
	const after = byName(now);
	const changes: string[] = [];
	for (const [name, entry] of after) {
		const earlier = before.get(name);
		if (!earlier) changes.push(`${name} added`);
		else if (canonicalJson(earlier) !== canonicalJson(entry))
			changes.push(`${name}: ${whatChanged(earlier, entry)}`);
	}
	for (const name of before.keys()) if (!after.has(name)) changes.push(`${name} removed`);
	return changes;
}

function whatChanged(before: BatchEntry, after: BatchEntry): string {
	if (before.refused !== undefined && after.refused === undefined)
		return 'was refused, now to send';
	if (before.refused === undefined && after.refused !== undefined)
		return `now refused (${String(after.refused)})`;
	if (before.refused !== undefined) return 'refused for another reason now';
	const values = (entry: BatchEntry) => (entry.values ?? {}) as IDataObject;
	const fields = [...new Set([...Object.keys(values(before)), ...Object.keys(values(after))])];
	const changed = fields
		.filter((field) => canonicalJson(values(before)[field]) !== canonicalJson(values(after)[field]))
		.map((field) => `${field} ${shown(values(before)[field])} → ${shown(values(after)[field])}`);
	if (Boolean(before.sendAgain) !== Boolean(after.sendAgain))
		changed.push(`Send Again ${after.sendAgain ? 'on' : 'off'}`);
	return changed.length ? changed.join(', ') : 'its request changed';
}

const shown = (value: unknown) =>
	value === undefined ? 'nothing' : typeof value === 'string' ? value : JSON.stringify(value);

function valuesInWords(values: IDataObject): string {
	return Object.entries(values)
		.map(([field, value]) => `${field} ${shown(value)}`)
		.join(', ');
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Amounts added as decimals: 20,000 × 0.10 is exactly 2,000, as no float sum is. */
export function sumDecimals(amounts: unknown[]): { text: string; any: boolean } {
	let scale = 0;
	const parts: Array<{ digits: bigint; power: number }> = [];
	for (const amount of amounts) {
		if (typeof amount !== 'number' && typeof amount !== 'string') continue;
		const canonical = canonicalDecimal(String(amount));
		if (canonical === undefined) continue;
		const [digits, power] = canonical === '0' ? ['0', '0'] : canonical.split('e');
		parts.push({ digits: BigInt(digits), power: Number(power) });
		scale = Math.max(scale, -Number(power));
	}
	let total = 0n;
	for (const { digits, power } of parts) total += digits * 10n ** BigInt(power + scale);
	const negative = total < 0n;
	const text = (negative ? -total : total).toString().padStart(scale + 1, '0');
	const whole = text.slice(0, text.length - scale);
	const fraction = scale ? text.slice(text.length - scale).replace(/0+$/, '') : '';
	return {
		text: `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`,
		any: parts.length > 0,
	};
}

/** 101751.25 → "1,01,751.25" (Indian grouping, paise always shown). */
function inRupees(text: string): string {
	const [whole, fraction = ''] = text.replace(/^-/, '').split('.');
	const last3 = whole.slice(-3);
	const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
	return `${text.startsWith('-') ? '-' : ''}${rest ? `${rest},` : ''}${last3}.${fraction.padEnd(2, '0')}`;
}
