import { NodeOperationError, sleep, type ICheckProcessedOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { DuplicateKey } from './duplicateGuard';
import { shortHash } from './fingerprint';

/**
 * The money ledger across executions, kept in n8n's own processed-data store (the one
 * behind Remove Duplicates' "previous executions"): in n8n's database, so it survives
 * restarts, covers manual runs and is shared by queue-mode workers. Scope: this node in
 * this workflow.
 *
 * What it holds, per write: one value per duplicate key — for the key's business day
 * (`day|2026-11-23|refund|<loan>|cashback_refund|15e2`), or for ever for a Reference —
 * and, once Crego did it, a `done|` marker beside each. The store keeps hashes only, so
 * the detail a message needs (execution, time, Crego's ref_id) is kept beside it in the
 * workflow's static data, which n8n saves for every run except those started from the
 * editor.
 *
 * n8n's store reads and rewrites one database row per call without a lock: calls for one
 * node are therefore made one at a time in a process, and across processes (queue-mode
 * workers) a run's claim carries a token that tells whether its write survived (claim()).
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
	/** The business day of the matching key; undefined for a Reference (any day). */
	day?: string;
	/** Crego did it (a done marker); false: its outcome was unknown then. */
	done: boolean;
	/** Another execution claimed it at the same moment as this one. */
	claimedNow?: boolean;
	detail?: SendDetail;
}

interface LedgerValue {
	value: string;
	what: string;
	day?: string;
	/**
	 * Checked, never recorded: a key as an earlier release wrote it ('legacy'), or the row's
	 * key of the day before ('yesterday': held there without a done marker, its outcome is
	 * still unknown, so midnight does not release it).
	 */
	checkOnly?: 'legacy' | 'yesterday';
}

/** The calendar day before a business day (YYYY-MM-DD). */
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);


/** The ledger of this node, or undefined when this n8n (or test harness) has no processed-data store. */
export async function openLedger(context: IExecuteFunctions, businessDay: string) {
	const store = context.helpers;
	const held = typeof store?.checkProcessedAndRecord === 'function' ? await valuesHeld(context) : undefined;
	if (held === undefined) return undefined;
	const lane = `${context.getWorkflow().id}|${context.getNode().id}`;
	const one = <T>(work: () => Promise<T>) => oneAtATime(lane, work);
	const details = () => (context.getWorkflowStaticData('node')[DETAILS] ??= {}) as Record<string, SendDetail>;

	const yesterday = dayBefore(businessDay);
	const valueOf = (key: string, lasts: DuplicateKey['lasts'], day = businessDay) => (lasts === 'always' ? `${PREFIX}|always|${key}` : `${PREFIX}|day|${day}|${key}`);
	/** Every value a row's keys are checked against; the check-only ones are never recorded. */
	const valuesOf = (keys: DuplicateKey[]): LedgerValue[] =>
		keys
			.filter(({ lasts }) => lasts !== 'execution')
			.flatMap(({ key, what, lasts, legacyKey }) => {
				const day = lasts === 'always' ? {} : { day: businessDay };
				return [
					{ value: valueOf(key, lasts), what, ...day },
					...(legacyKey ? [{ value: valueOf(legacyKey, lasts), what, ...day, checkOnly: 'legacy' as const }] : []),
					...(lasts === 'always' ? [] : [{ value: valueOf(key, lasts, yesterday), what, day: yesterday, checkOnly: 'yesterday' as const }]),
				];
			});
	/** The values a row records (never those it is only checked against). */
	const recorded = (values: LedgerValue[]) => values.filter(({ checkOnly }) => !checkOnly).map(({ value }) => value);
	const recordedValuesOf = (keys: DuplicateKey[]) => recorded(valuesOf(keys));
	const record = async (values: string[]) => (values.length ? await store.checkProcessedAndRecord(values, 'node', STORE_OPTIONS) : { new: [], processed: [] });
	const release = async (values: Array<string | number>) => {
		if (values.length) await store.removeProcessed(values, 'node', STORE_OPTIONS);
	};

	/** Which of these values were recorded before, leaving the store as it was. */
	async function seen(values: string[]): Promise<Set<string>> {
		const unique = [...new Set(values)];
		if (unique.length === 0) return new Set();
		const checked = await record(unique);
		await release(checked.new);
		return new Set(checked.processed.map(String));
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
		 * afresh. Returns, per row, the earlier send that refuses it; rows not in the map
		 * may be sent. Throws (nothing may be sent) when the store is too slow to claim
		 * safely or keeps being overwritten.
		 */
		async claim(rows: Array<{ itemIndex: number; keys: DuplicateKey[] }>, executionId: string): Promise<Map<number, EarlierSend>> {
			const refused = new Map<number, EarlierSend>();
			if (rows.length === 0) return refused;
			let pending = rows.map(({ itemIndex, keys }) => ({ itemIndex, values: valuesOf(keys) }));
			// Counted generously (every value new, each with a done marker, and the token), so the bound is never passed.
			const needed = 2 * pending.reduce((sum, { values }) => sum + recorded(values).length, 0) + 1;
			if (held + needed > MAX_LEDGER_ENTRIES) {
				throw new ClaimFailed(
					`this node's ledger is full: it holds ${held.toLocaleString('en')} of ${MAX_LEDGER_ENTRIES.toLocaleString('en')} values, and this run may add ${needed.toLocaleString('en')}`,
					false,
					'Nothing was recorded or sent. The ledger keeps every row this node sent so that no sheet pays twice, and forgets none of them to make room. ' +
						'To go on, send new sheets from a copy of this node (a copied node keeps a ledger of its own; it does not know what this one sent, so keep sheets this node sent on this node), or split this sheet into smaller runs if it only just does not fit.',
				);
			}
			for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
				const token = `${PREFIX}|claim|${executionId}|${Math.random().toString(36).slice(2, 10)}`;
				const startedAt = Date.now();
				const claimed = await one(async () => {
					// Check-only values are released below, so they never hold a row as this run's.
					const checked = await record([...new Set(pending.flatMap(({ values }) => values.map(({ value }) => value))), token]);
					const processed = new Set(checked.processed.map(String));
					// A row held today (or by a Reference) is refused by that; one held only yesterday, only if its outcome there is unknown.
					const matchesOf = (values: LedgerValue[]) => {
						const found = values.filter(({ value }) => processed.has(value));
						const today = found.filter(({ checkOnly }) => checkOnly !== 'yesterday');
						return today.length ? today : found;
					};
					const taken = pending.filter(({ values }) => matchesOf(values).length > 0);
					const earlier = taken.length ? await describe(taken.map(({ values }) => matchesOf(values))) : [];
					taken.forEach(({ itemIndex, values }, i) => {
						// Done yesterday: today it is a new write (a monthly repeat goes through).
						if (earlier[i].done && matchesOf(values).every(({ checkOnly }) => checkOnly === 'yesterday')) return;
						// Rows found taken only on a second attempt were taken by the execution that overwrote the first.
						const now = attempt > 1 && !earlier[i].done && earlier[i].day !== yesterday;
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
				const tooSlow = callMs > MAX_CLAIM_CALL_MS;
				await sleep(Math.max(CLAIM_WINDOW_FLOOR_MS, 2 * Math.min(callMs, MAX_CLAIM_CALL_MS)));
				const survived = await one(async () => {
					const checked = await record([token]);
					// Lost, it was just written again by this check: not kept.
					if (checked.processed.length !== 1) await release([token]);
					return checked.processed.length === 1;
				});
				if (tooSlow) {
					// Still this claim's own at the check: released, so the rows can simply be run again. Replaced: they may be another's now, so left alone.
					if (survived) await one(() => release([token, ...claimed.flatMap(({ values }) => recorded(values))]));
					throw new ClaimFailed(`n8n's database took ${(callMs / 1000).toFixed(1)} s to record the rows, too slow to claim them safely against other executions`, !survived);
				}
				if (survived) {
					runToken = token;
					const at = new Date().toISOString();
					for (const { values } of claimed) for (const value of recorded(values)) keepDetail(details(), shortHash(value), { executionId, at });
					return refused;
				}
				pending = claimed;
			}
			// The last attempt's rows may now be another execution's: left recorded, the safe side.
			throw new ClaimFailed(`other executions kept writing the ledger at the same moment (${MAX_CLAIM_ATTEMPTS} tries)`, true);
		},

		/** After the answer: done marks it done; rejected or not sent releases it (it may be fixed and sent again); unknown keeps it. */
		async settle(keys: DuplicateKey[], outcome: 'done' | 'rejected' | 'notSent' | 'unknown', refId?: string) {
			await one(async () => {
				const values = recordedValuesOf(keys);
				if (outcome === 'done') {
					// The values again too: a concurrent writer's rewrite may have dropped them since the claim.
					await record([...values, ...values.map(doneMarker)]);
					for (const value of values) {
						const detail = details()[shortHash(value)];
						if (detail && refId) detail.refId = refId;
					}
				} else if (outcome === 'rejected' || outcome === 'notSent') {
					await release(values);
					for (const value of values) delete details()[shortHash(value)];
				}
			});
		},

		/**
		 * The run ended: whether its claim was still in the store. False means a writer
		 * replaced the list after the claim window (a database slower than it showed): that
		 * execution may have sent rows of this run too. The token is removed either way.
		 */
		async claimHeld(): Promise<boolean> {
			if (!runToken) return true;
			const token = runToken;
			runToken = undefined;
			return await one(async () => {
				const checked = await record([token]);
				await release([token]);
				return checked.processed.length === 1;
			});
		},

		/** Releases rows claimed but never sent (the run stopped before them): they may be sent again. */
		async releaseUnsent(rows: DuplicateKey[][]) {
			if (rows.length === 0) return;
			await one(async () => {
				const values = rows.flatMap(recordedValuesOf);
				await release(values);
				for (const value of values) delete details()[shortHash(value)];
			});
		},

		/** Forgets these rows on purpose (Send Again): they are then recorded afresh when sent. */
		async forget(keys: DuplicateKey[]) {
			await one(async () => {
				// The check-only values too: Send Again releases the row however an earlier release recorded it, and yesterday's hold.
				const values = valuesOf(keys).map(({ value }) => value);
				await release([...values, ...values.map(doneMarker)]);
			});
		},
	};
}

/** How many values n8n's processed-data store holds for this node; undefined when it was never set up (old n8n, bare test harness). */
async function valuesHeld(context: IExecuteFunctions): Promise<number | undefined> {
	try {
		return await context.helpers.getProcessedDataCount('node', STORE_OPTIONS);
	} catch (error) {
		if (/initiali[sz]ed/i.test((error as Error).message ?? '')) return undefined;
		// The store exists but fails: nothing is sent rather than sending unguarded.
		throw new NodeOperationError(context.getNode(), error as Error, {
			description: "Refuse Duplicates could not read n8n's processed-data store (its database), so nothing was sent. Try again; if it persists, check n8n's database.",
		});
	}
}

function keepDetail(details: Record<string, SendDetail | IDataObject>, key: string, detail: SendDetail) {
	delete details[key];
	details[key] = detail as unknown as IDataObject;
	const keys = Object.keys(details);
	for (const old of keys.slice(0, Math.max(0, keys.length - MAX_DETAILS))) delete details[old];
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
