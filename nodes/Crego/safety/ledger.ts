import { NodeOperationError, sleep, type ICheckProcessedOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { DuplicateKey } from './duplicateGuard';
import { shortHash } from './fingerprint';

/**
 * The money ledger across executions, kept in n8n's own processed-data store (the one
 * behind Remove Duplicates' "previous executions"): in n8n's database, so it survives
 * restarts, covers manual runs and is shared by queue-mode workers. Scope: this node in
 * this workflow.
 *
 * What it holds, per write, in the node's list: one value per duplicate key — for the
 * key's business day (`day|2026-11-23|refund|<loan>|cashback_refund|15e2`), or for ever
 * for a Reference — and, once Crego did it, a `done|` marker beside each. In the
 * workflow's list, a hold per business-day key of every row sent and not yet known done
 * or rejected (`hold|<node>|refund|<loan>|…`): written before the request, removed once
 * Crego answered, kept while the outcome is unknown, so such a row is refused on every
 * later day too, until Send Again. Holds are few (rows in flight, unknowns), so removing
 * them is cheap: n8n's store removes a value by searching its list from the start.
 * The store keeps hashes only, so the detail a message needs (execution, time, Crego's
 * ref_id) is kept beside it in the workflow's static data, which n8n saves for every run
 * except those started from the editor.
 *
 * n8n's store reads and rewrites one database row per call without a lock: calls for one
 * node are therefore made one at a time in a process, and across processes (queue-mode
 * workers) a run's claim carries a token that tells whether its write survived (claim()).
 * Outcomes are settled in batches (SETTLE_BATCH rows, or every SETTLE_EVERY_MS): each
 * call rewrites the whole list, so a call per row would not scale; a crash before a
 * batch is written leaves its rows held as unknown, the safe side.
 */

/**
 * The shortest wait between a claim's write and its check. The wait is otherwise twice as
 * long as the claim's own store call took: a writer that read the list before this claim
 * was written takes about as long to write back, and a slow database lengthens both.
 */
const CLAIM_WINDOW_FLOOR_MS = 300;
/** A store call slower than this gives no safe claim: nothing is sent (the wait would pass 40 s). */
const MAX_CLAIM_CALL_MS = 20_000;

/** A claim that could not be made safely: nothing was sent. `rowsHeld`: some rows may stay recorded (refused later as unknown). */
export class ClaimFailed extends Error {
	constructor(
		message: string,
		readonly rowsHeld: boolean,
		/** What the person can do, when it is not "run them again". */
		readonly advice?: string,
	) {
		super(message);
	}
}
/** Claims retried after another execution's write replaced this one's, before nothing is sent. */
const MAX_CLAIM_ATTEMPTS = 3;
/**
 * The most values this node's ledger holds (about 50,000 Process Payout rows, which take
 * four values each, or 100,000 refunds or References, two each). n8n's store is never
 * given a maxEntries: past one it drops the oldest values without a word, and one of them
 * could be a payment. A run that could take the ledger past this bound is refused before
 * anything is recorded or sent.
 */
export const MAX_LEDGER_ENTRIES = 200_000;
/** The most rows whose detail is kept in static data. */
const MAX_DETAILS = 2_000;
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries' };
const PREFIX = 'crego1';
const DETAILS = 'cregoLedger';

export interface SendDetail {
	executionId: string;
	/** When it was sent, ISO 8601. */
	at: string;
	refId?: string;
}

/** What the ledger knows of an earlier send of a row. */
export interface EarlierSend {
	/** Which key matched, in words, e.g. "same loan, refund type and amount". */
	what: string;
	/** The business day of the matching key; undefined for a Reference (any day) or a hold. */
	day?: string;
	/** Crego did it (a done marker); false: its outcome was unknown then. */
	done: boolean;
	/** Another execution claimed it at the same moment as this one. */
	claimedNow?: boolean;
	/** Held since an earlier send (any day) whose outcome is unknown or was never settled. */
	held?: boolean;
	detail?: SendDetail;
}

interface LedgerValue {
	value: string;
	what: string;
	day?: string;
	/** Checked, never recorded: the key as an earlier release wrote it (a ledger written before the upgrade still holds). */
	legacy?: boolean;
	/**
	 * A key shared by rows with References (DuplicateKey.withReference) has a tag beside
	 * it that says only such rows hold it: the key refuses a row only when its tag was not
	 * already there, that is when a row without a Reference holds it.
	 */
	tag?: string;
	/** This value is such a tag: recorded, never a match itself. */
	isTag?: boolean;
}

interface Hold {
	value: string;
	what: string;
}

interface Row {
	itemIndex: number;
	values: LedgerValue[];
	holds: Hold[];
}

/** Rows whose outcomes are written in one go (each store call rewrites the whole list). */
const SETTLE_BATCH = 500;
/** …or this often, so other executions soon see rows as done rather than unknown. */
const SETTLE_EVERY_MS = 2_000;
/** The most holds (rows in flight or of unknown outcome) the workflow's list takes. */
export const MAX_HOLDS = 100_000;

/** The ledger of this node, or undefined when this n8n (or test harness) has no processed-data store. */
export async function openLedger(context: IExecuteFunctions, businessDay: string) {
	const store = context.helpers;
	const held = typeof store?.checkProcessedAndRecord === 'function' ? await valuesHeld(context, 'node') : undefined;
	if (held === undefined) return undefined;
	const holdsHeld = (await valuesHeld(context, 'workflow')) ?? 0;
	const nodeId = context.getNode().id;
	const lane = `${context.getWorkflow().id}|${nodeId}`;
	const one = <T>(work: () => Promise<T>) => oneAtATime(lane, work);
	const details = () => (context.getWorkflowStaticData('node')[DETAILS] ??= {}) as Record<string, SendDetail>;

	const dayValue = (key: string) => `${PREFIX}|day|${businessDay}|${key}`;
	const valueOf = (key: string, lasts: DuplicateKey['lasts']) => (lasts === 'always' ? `${PREFIX}|always|${key}` : dayValue(key));
	/** Every value a row's keys are checked against; the legacy ones are never recorded. */
	const valuesOf = (keys: DuplicateKey[]): LedgerValue[] =>
		keys
			.filter(({ lasts }) => lasts !== 'execution')
			.flatMap(({ key, what, lasts, legacyKey, withReference }) => {
				const day = lasts === 'always' ? {} : { day: businessDay };
				if (withReference) {
					const tag = valueOf(`withReference|${key}`, lasts);
					return [
						{ value: valueOf(key, lasts), what, ...day, tag },
						{ value: tag, what, ...day, isTag: true },
					];
				}
				return [
					{ value: valueOf(key, lasts), what, ...day },
					...(legacyKey ? [{ value: valueOf(legacyKey, lasts), what, ...day, legacy: true }] : []),
				];
			});
	/** A row's holds: its business-day keys except those it shares with other rows with References (the Reference itself is kept for ever). */
	const holdsOf = (keys: DuplicateKey[]): Hold[] =>
		keys.filter(({ lasts, withReference }) => (lasts ?? 'businessDay') === 'businessDay' && !withReference).map(({ key, what }) => ({ value: `${PREFIX}|hold|${nodeId}|${key}`, what }));
	const holdValues = (rows: Array<{ holds: Hold[] }>) => rows.flatMap(({ holds }) => holds.map(({ value }) => value));
	const rowOf = (itemIndex: number, keys: DuplicateKey[]): Row => ({ itemIndex, values: valuesOf(keys), holds: holdsOf(keys) });
	/** The values a row records (never those it is only checked against). */
	const recorded = (values: LedgerValue[]) => values.filter(({ legacy }) => !legacy).map(({ value }) => value);
	/** The recorded values that get a done marker. */
	const markable = (values: LedgerValue[]) => values.filter(({ legacy, isTag }) => !legacy && !isTag).map(({ value }) => value);
	const record = async (values: string[], scope: 'node' | 'workflow' = 'node') =>
		values.length ? await store.checkProcessedAndRecord(values, scope, STORE_OPTIONS) : { new: [], processed: [] };
	const release = async (values: Array<string | number>, scope: 'node' | 'workflow' = 'node') => {
		if (values.length) await store.removeProcessed(values, scope, STORE_OPTIONS);
	};

	/** Which of these values were recorded before, leaving the store as it was. */
	async function seen(values: string[]): Promise<Set<string>> {
		const unique = [...new Set(values)];
		if (unique.length === 0) return new Set();
		const checked = await record(unique);
		await release(checked.new);
		return new Set(checked.processed.map(String));
	}

	/** Whether a call's token is still in its list after the wait (it is removed either way, unless kept for the run's end). */
	async function tokenSurvived(token: string, scope: 'node' | 'workflow', keep: boolean) {
		return await one(async () => {
			const checked = await record([token], scope);
			const survived = checked.processed.length === 1;
			// Lost, it was just written again by this check: not kept.
			if (!survived || !keep) await release([token], scope);
			return survived;
		});
	}

	const doneMarker = (value: string) => `${PREFIX}|done|${value}`;
	/** The token of this run's surviving claim, kept until the run ends: its loss later means another writer replaced the claim. */
	let runToken: string | undefined;

	/** For each row's matching values, the earlier send behind them and whether Crego did it: one probe for all rows. */
	async function describe(matchesPerRow: LedgerValue[][]): Promise<EarlierSend[]> {
		const done = await seen(matchesPerRow.flat().map(({ value }) => doneMarker(value)));
		return matchesPerRow.map((matches) => {
			const match = matches.find(({ value }) => done.has(doneMarker(value))) ?? matches[0];
			return { what: match.what, day: match.day, done: done.has(doneMarker(match.value)), detail: details()[shortHash(match.value)] };
		});
	}

	/** Outcomes waiting to be written (settle()): values to mark done, to release, and holds to release or keep. */
	let queue = { done: [] as Array<{ values: string[]; refId?: string }>, released: [] as string[], holdsReleased: [] as string[], holdsKept: [] as string[], rows: 0 };
	let lastFlush = Date.now();

	async function flush() {
		const batch = queue;
		queue = { done: [], released: [], holdsReleased: [], holdsKept: [], rows: 0 };
		lastFlush = Date.now();
		if (batch.rows === 0) return;
		await one(async () => {
			// The values again too: a concurrent writer's rewrite may have dropped them since the claim.
			await record(batch.done.flatMap(({ values }) => [...values, ...values.map(doneMarker)]));
			await release(batch.released);
			// Holds go once the node's list says done: a crash between the two leaves a row held, the safe side.
			await release(batch.holdsReleased, 'workflow');
			await record(batch.holdsKept, 'workflow');
			for (const { values, refId } of batch.done) {
				for (const value of values) {
					const detail = details()[shortHash(value)];
					if (detail && refId) detail.refId = refId;
				}
			}
			for (const value of batch.released) delete details()[shortHash(value)];
		});
	}

	/** Holds this run wrote in the workflow's list: found there again, they are not an earlier send's. */
	const ownHolds = new Set<string>();

	/**
	 * Holds the claimed rows in the workflow's list, with a token to check after the wait
	 * (holdRows()). A row already held (an earlier send whose outcome is unknown, on any
	 * day) is refused and released from the node's list.
	 */
	async function writeHolds(rows: Row[], refused: Map<number, EarlierSend>, executionId: string) {
		const token = `${PREFIX}|claim|${executionId}|${Math.random().toString(36).slice(2, 10)}`;
		const startedAt = Date.now();
		await one(async () => {
			const checked = await record([...new Set(holdValues(rows)), token], 'workflow');
			const earlier = new Set(checked.processed.map(String).filter((value) => !ownHolds.has(value)));
			const heldRows = rows.filter(({ holds }) => holds.some(({ value }) => earlier.has(value)));
			for (const row of heldRows) {
				const { value, what } = row.holds.find(({ value }) => earlier.has(value))!;
				refused.set(row.itemIndex, { what, done: false, held: true, detail: details()[shortHash(value)] });
			}
			const keep = new Set(holdValues(rows.filter(({ itemIndex }) => !refused.has(itemIndex))));
			for (const value of checked.new.map(String)) if (keep.has(value)) ownHolds.add(value);
			await release(checked.new.map(String).filter((value) => !keep.has(value) && value !== token), 'workflow');
			await release(heldRows.flatMap(({ values }) => recorded(values)));
		});
		return { token, callMs: Date.now() - startedAt };
	}

	/** Writes the rows' holds until a write survives its window (another execution's rewrite of the list may drop one). */
	async function holdRows(rows: Row[], refused: Map<number, EarlierSend>, executionId: string) {
		for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
			const pending = rows.filter(({ itemIndex, holds }) => !refused.has(itemIndex) && holds.length > 0);
			if (pending.length === 0) return;
			const { token, callMs } = await writeHolds(pending, refused, executionId);
			await sleep(claimWindow(callMs));
			const survived = await tokenSurvived(token, 'workflow', false);
			if (callMs > MAX_CLAIM_CALL_MS) {
				if (survived) await one(async () => {
					await release([...ownHolds], 'workflow');
					await release(rows.flatMap(({ values }) => recorded(values)));
				});
				throw tooSlow(callMs, !survived);
			}
			if (survived) return;
		}
		throw new ClaimFailed(`other executions kept writing the ledger at the same moment (${MAX_CLAIM_ATTEMPTS} tries)`, true);
	}

	return {
		/**
		 * Write-ahead for every row of the run, before the first is sent: records each
		 * row's values, so a crash mid-request leaves them recorded. n8n's store has no
		 * lock: a writer that read the list before this claim was written can write its
		 * own list back over it. The claim's store call therefore also writes one token of
		 * this claim; after a wait as long as a slow database needs (twice the claim call's
		 * own time, at least CLAIM_WINDOW_FLOOR_MS), the token still being there proves the
		 * whole write survived, since a call's values and token stand or fall together.
		 * If it was replaced, the claim is made again: rows the other execution took are
		 * then refused as claimed by it at the same moment, and the others are recorded
		 * afresh. The rows then get their holds (holdRows()). Returns, per row, the earlier send
		 * that refuses it; rows not in the map may be sent. Throws (nothing may be sent)
		 * when the store is too slow to claim safely or keeps being overwritten.
		 */
		async claim(candidates: Array<{ itemIndex: number; keys: DuplicateKey[] }>, executionId: string): Promise<Map<number, EarlierSend>> {
			const refused = new Map<number, EarlierSend>();
			if (candidates.length === 0) return refused;
			let pending = candidates.map(({ itemIndex, keys }) => rowOf(itemIndex, keys));
			// Counted generously (every value new, each with a done marker, and the token), so the bound is never passed.
			const needed = 2 * pending.reduce((sum, { values }) => sum + recorded(values).length, 0) + 1;
			const holdsNeeded = pending.reduce((sum, { holds }) => sum + holds.length, 0) + 1;
			if (held + needed > MAX_LEDGER_ENTRIES) throw ledgerFull(`this node's ledger is full: it holds ${count(held)} of ${count(MAX_LEDGER_ENTRIES)} values, and this run may add ${count(needed)}`);
			if (holdsHeld + holdsNeeded > MAX_HOLDS) throw ledgerFull(`the workflow's list of rows in flight or of unknown outcome is full: it holds ${count(holdsHeld)} of ${count(MAX_HOLDS)} values, and this run may add ${count(holdsNeeded)}`);
			for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
				const token = `${PREFIX}|claim|${executionId}|${Math.random().toString(36).slice(2, 10)}`;
				const startedAt = Date.now();
				const claimed = await one(async () => {
					const checked = await record([...new Set(pending.flatMap(({ values }) => values.map(({ value }) => value))), token]);
					const processed = new Set(checked.processed.map(String));
					// A shared key refuses only when no tag says that rows with References alone hold it.
					const matchesOf = (values: LedgerValue[]) => values.filter(({ value, tag, isTag }) => !isTag && processed.has(value) && !(tag && processed.has(tag)));
					const taken = pending.filter(({ values }) => matchesOf(values).length > 0);
					const earlier = taken.length ? await describe(taken.map(({ values }) => matchesOf(values))) : [];
					taken.forEach(({ itemIndex }, i) => {
						// Rows found taken only on a second attempt were taken by the execution that overwrote the first.
						const now = attempt > 1 && !earlier[i].done;
						refused.set(itemIndex, now ? { ...earlier[i], claimedNow: true } : earlier[i]);
					});
					// What this call added for refused rows is not theirs to keep, nor a value it only checked.
					const keep = new Set([token, ...pending.filter(({ itemIndex }) => !refused.has(itemIndex)).flatMap(({ values }) => recorded(values))]);
					await release(checked.new.filter((value) => !keep.has(String(value))));
					return pending.filter(({ itemIndex }) => !refused.has(itemIndex));
				});
				const callMs = Date.now() - startedAt;
				if (claimed.length === 0) {
					await one(() => release([token]));
					return refused;
				}
				await sleep(claimWindow(callMs));
				const survived = await tokenSurvived(token, 'node', true);
				if (callMs > MAX_CLAIM_CALL_MS) {
					// Still this claim's own at the check: released, so the rows can simply be run again. Replaced: they may be another's now, so left alone.
					if (survived) await one(() => release([token, ...claimed.flatMap(({ values }) => recorded(values))]));
					throw tooSlow(callMs, !survived);
				}
				if (survived) {
					runToken = token;
					// Only now: a hold found is then never a concurrent claim of today's (the node's list settled those), but an earlier day's unknown.
					await holdRows(claimed, refused, executionId);
					const sent = claimed.filter(({ itemIndex }) => !refused.has(itemIndex));
					keepDetails(details(), [...sent.flatMap(({ values }) => recorded(values)), ...holdValues(sent)].map(shortHash), { executionId, at: new Date().toISOString() });
					return refused;
				}
				pending = claimed.filter(({ itemIndex }) => !refused.has(itemIndex));
			}
			// The last attempt's rows may now be another execution's: left recorded, the safe side.
			throw new ClaimFailed(`other executions kept writing the ledger at the same moment (${MAX_CLAIM_ATTEMPTS} tries)`, true);
		},

		/**
		 * After the answer: done marks it done; rejected or not sent releases it (it may be
		 * fixed and sent again); unknown keeps it, and its holds. Written in batches (flush()).
		 */
		async settle(keys: DuplicateKey[], outcome: 'done' | 'rejected' | 'notSent' | 'unknown', refId?: string) {
			const values = recorded(valuesOf(keys));
			const holds = holdsOf(keys).map(({ value }) => value);
			if (outcome === 'done') queue.done.push({ values: markable(valuesOf(keys)), refId });
			if (outcome === 'rejected' || outcome === 'notSent') queue.released.push(...values);
			if (outcome === 'unknown') queue.holdsKept.push(...holds);
			else queue.holdsReleased.push(...holds);
			queue.rows++;
			if (queue.rows >= SETTLE_BATCH || Date.now() - lastFlush >= SETTLE_EVERY_MS) await flush();
		},

		/** Writes the outcomes still waiting: before the run ends. */
		flush,

		/**
		 * The run ended: whether its claim was still in the store. False means a writer
		 * replaced the list after the claim window (a database slower than it showed): that
		 * execution may have sent rows of this run too. The token is removed either way.
		 */
		async claimHeld(): Promise<boolean> {
			if (!runToken) return true;
			const token = runToken;
			runToken = undefined;
			return await tokenSurvived(token, 'node', false);
		},

		/** Releases rows claimed but never sent (the run stopped before them): they may be sent again. */
		async releaseUnsent(rows: DuplicateKey[][]) {
			if (rows.length === 0) return;
			await one(async () => {
				const values = rows.flatMap((keys) => recorded(valuesOf(keys)));
				await release(values);
				await release(holdValues(rows.map((keys) => ({ holds: holdsOf(keys) }))), 'workflow');
				for (const value of values) delete details()[shortHash(value)];
			});
		},

		/** Forgets these rows on purpose (Send Again): they are then recorded afresh when sent. */
		async forget(rows: DuplicateKey[][]) {
			if (rows.length === 0) return;
			await one(async () => {
				// The legacy values too: Send Again releases the row however an earlier release recorded it; and its holds.
				const values = rows.flatMap((keys) => valuesOf(keys).map(({ value }) => value));
				await release([...values, ...values.map(doneMarker)]);
				await release(holdValues(rows.map((keys) => ({ holds: holdsOf(keys) }))), 'workflow');
			});
		},
	};
}

/** The wait between a claim's write and its check: twice the call's own time, within bounds. */
const claimWindow = (callMs: number) => Math.max(CLAIM_WINDOW_FLOOR_MS, 2 * Math.min(callMs, MAX_CLAIM_CALL_MS));

const count = (value: number) => value.toLocaleString('en');

const tooSlow = (callMs: number, rowsHeld: boolean) =>
	new ClaimFailed(`n8n's database took ${(callMs / 1000).toFixed(1)} s to record the rows, too slow to claim them safely against other executions`, rowsHeld);

function ledgerFull(message: string) {
	return new ClaimFailed(
		message,
		false,
		'Nothing was recorded or sent. The ledger keeps every row this node sent so that no sheet pays twice, and forgets none of them to make room. ' +
			'To go on, send new sheets from a copy of this node (a copied node keeps a ledger of its own; it does not know what this one sent, so keep sheets this node sent on this node), or split this sheet into smaller runs if it only just does not fit.',
	);
}

/** How many values n8n's processed-data store holds for this node; undefined when it was never set up (old n8n, bare test harness). */
async function valuesHeld(context: IExecuteFunctions, scope: 'node' | 'workflow'): Promise<number | undefined> {
	try {
		return await context.helpers.getProcessedDataCount(scope, STORE_OPTIONS);
	} catch (error) {
		if (/initiali[sz]ed/i.test((error as Error).message ?? '')) return undefined;
		// The store exists but fails: nothing is sent rather than sending unguarded.
		throw new NodeOperationError(context.getNode(), error as Error, {
			description: "Refuse Duplicates could not read n8n's processed-data store (its database), so nothing was sent. Try again; if it persists, check n8n's database.",
		});
	}
}

/** Keeps the detail of these values, newest last, and only the newest MAX_DETAILS. */
function keepDetails(details: Record<string, SendDetail | IDataObject>, keys: string[], detail: SendDetail) {
	for (const key of keys) {
		delete details[key];
		details[key] = { ...detail } as unknown as IDataObject;
	}
	const all = Object.keys(details);
	for (const old of all.slice(0, Math.max(0, all.length - MAX_DETAILS))) delete details[old];
}

const lanes = new Map<string, Promise<unknown>>();

/** Runs store calls for one node one after another, even from concurrent rows or executions in this process. */
function oneAtATime<T>(lane: string, work: () => Promise<T>): Promise<T> {
	const previous = lanes.get(lane) ?? Promise.resolve();
	const next = previous.then(work, work);
	const settled = next.then(
		() => undefined,
		() => undefined,
	);
	lanes.set(lane, settled);
	void settled.then(() => {
		if (lanes.get(lane) === settled) lanes.delete(lane);
	});
	return next;
}
