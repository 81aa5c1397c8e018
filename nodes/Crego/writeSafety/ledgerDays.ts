import { PREFIX, type LedgerStore } from './ledgerStore';

/**
 * The node's list keeps business days, not for ever: on the first claim of a business
 * day it drops every value older than the day before, so its room is per day. Nothing
 * that protects money goes with them: a day's keys only refuse repeats that same day, a
 * row of unknown outcome is held in the workflow's list, and References live there too.
 *
 * Where a day begins in the list is written in the list itself: the first claim of a day
 * records `start|<day>` and, as one value per set bit, how many values came before it.
 * The next day's first claim reads them and keeps only the values from there on, through
 * n8n's maxEntries, which drops the oldest.
 *
 * A ledger written by a release before this layout (References in the node's list) is
 * never trimmed: it would lose them. It keeps its old bound (MAX_LEGACY_VALUES in all).
 */

/** The values one business day may add to the node's list: 50,000 Process Payout rows (four values each). */
export const DAY_CAPACITY = 200_000;
/** The bound of a ledger written before business days were kept apart: everything it ever held. */
export const MAX_LEGACY_VALUES = 200_000;
/** Bits of the count written at a day's start: up to 2,097,151 values. */
const BITS = 21;

export interface Days {
	/** 'days': this layout; 'legacy': a ledger written before it (References in the node's list, never trimmed). */
	layout: 'days' | 'legacy';
	/** Values the bound counts (today's, or a legacy ledger's all) and the bound. */
	used: number;
	capacity: number;
}

const start = (day: string) => `${PREFIX}|start|${day}`;
const bit = (day: string, i: number) => `${PREFIX}|start|${day}|bit${i}`;
const bitsOf = (day: string) => Array.from({ length: BITS }, (_, i) => bit(day, i));
const layoutMarker = (nodeId: string) => `${PREFIX}|layout|days|${nodeId}`;

/** The count written at a day's start, from the bit values found there. */
const decode = (day: string, found: Set<string>) =>
	bitsOf(day).reduce((sum, value, i) => (found.has(value) ? sum + 2 ** i : sum), 0);
const encode = (day: string, count: number) =>
	bitsOf(day).filter((_, i) => Math.floor(count / 2 ** i) % 2 === 1);

/** The calendar day before a business day (YYYY-MM-DD). */
export const dayBefore = (day: string) =>
	new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** Which layout this node's ledger has and, for this layout, starts the business day (trimming what is older than the day before). */
export async function openDays(
	store: LedgerStore,
	nodeId: string,
	businessDay: string,
): Promise<Days> {
	const held = store.held.node;
	const layout = await store.one('workflow', async () => {
		const checked = await store.record('workflow', [layoutMarker(nodeId)]);
		if (checked.processed.length === 1 || held === 0) return 'days' as const;
		await store.release('workflow', checked.new);
		return 'legacy' as const;
	});
	if (layout === 'legacy') return { layout, used: held, capacity: MAX_LEGACY_VALUES };

	return await store.one('node', async () => {
		const today = await store.seen('node', [start(businessDay), ...bitsOf(businessDay)]);
		if (today.has(start(businessDay)))
			return {
				layout,
				used: Math.max(0, held - decode(businessDay, today)),
				capacity: DAY_CAPACITY,
			};
		const yesterday = dayBefore(businessDay);
		const before = await store.seen('node', [start(yesterday), ...bitsOf(yesterday)]);
		// From the day before's start on, or nothing when it had no run. (Values of the day before the day before that were released after its start shift this by as many: a few of the day before's first values may go, which refuse nothing by then: a day's keys refuse repeats that same day.)
		const keep = before.has(start(yesterday)) ? Math.max(0, held - decode(yesterday, before)) : 0;
		const markers = [start(businessDay), ...encode(businessDay, keep)];
		await store.record('node', markers, keep + markers.length);
		return { layout, used: 0, capacity: DAY_CAPACITY };
	});
}
