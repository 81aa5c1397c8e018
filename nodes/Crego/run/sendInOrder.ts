import { sleep } from 'n8n-workflow';

import type { ItemResult, NodeError } from '../vocabulary/itemResult';

/**
 * Ordering: items are started in row order, at most `concurrency` at a time, and their
 * output keeps the input's order and pairing whatever order the answers come in. Rows
 * that share a lane (the same loan, payout, UTR… — see `lanes` on a request) are never
 * in flight together and start in row order: a later row of a busy lane waits, while
 * rows of other lanes go past it. When the node is set to stop on an error, no further
 * item is started once one fails; the ones in flight are waited for, so every item's
 * outcome is known when the run ends. After n8n's Stop no item starts either, and no
 * pause is waited out.
 */

export interface Sent {
	/** Per item; undefined for an item never started because the run stopped. */
	results: Array<ItemResult | undefined>;
	/** The first error, when the run stopped on it. */
	stoppedBy?: { itemIndex: number; error: NodeError };
}

export interface Schedule {
	/** How many items may be in flight now (read before each start). */
	concurrency: () => number;
	/** The lanes of an item: rows sharing one are sent one at a time, in row order. */
	lanesOf?: (itemIndex: number) => string[];
	/** How long no new item may start (a Retry-After), in ms. */
	pausedForMs?: () => number;
	/** n8n's Stop. */
	stop?: AbortSignal;
}

export async function sendInOrder(
	count: number,
	schedule: Schedule,
	stopOnError: boolean,
	sendItem: (itemIndex: number) => Promise<ItemResult>,
): Promise<Sent> {
	const results: Sent['results'] = new Array(count).fill(undefined);
	const started: boolean[] = new Array(count).fill(false);
	const busyLanes = new Set<string>();
	const lanesOf = schedule.lanesOf ?? (() => []);
	let stoppedBy: Sent['stoppedBy'];
	let inFlight = 0;
	/** Rows before this one have all started. */
	let firstWaiting = 0;
	let wakeUp: Promise<void> | undefined;
	return await new Promise<Sent>((resolve, reject) => {
		const start = (itemIndex: number, lanes: string[]) => {
			started[itemIndex] = true;
			inFlight++;
			for (const lane of lanes) busyLanes.add(lane);
			sendItem(itemIndex).then((result) => {
				results[itemIndex] = result;
				if (result.error && stopOnError) stoppedBy ??= { itemIndex, error: result.error };
				inFlight--;
				for (const lane of lanes) busyLanes.delete(lane);
				fill();
			}, reject);
		};
		/** Starts every row that may start now, in row order. */
		const fill = () => {
			if (schedule.stop?.aborted) {
				if (inFlight === 0) resolve({ results, stoppedBy });
				return;
			}
			const paused = schedule.pausedForMs?.() ?? 0;
			if (paused > 0 && !stoppedBy && firstWaiting < count) {
				wakeUp ??= sleep(paused).then(() => {
					wakeUp = undefined;
					fill();
				});
			} else if (!stoppedBy) {
				// Lanes of earlier rows still waiting: a later row of the same lane must not overtake them.
				const waiting = new Set<string>();
				for (
					let itemIndex = firstWaiting;
					itemIndex < count && inFlight < Math.max(1, schedule.concurrency());
					itemIndex++
				) {
					if (started[itemIndex]) continue;
					const lanes = lanesOf(itemIndex);
					if (lanes.some((lane) => busyLanes.has(lane) || waiting.has(lane))) {
						for (const lane of lanes) waiting.add(lane);
						continue;
					}
					start(itemIndex, lanes);
				}
				while (firstWaiting < count && started[firstWaiting]) firstWaiting++;
			}
			if (inFlight === 0 && !wakeUp && (stoppedBy || firstWaiting >= count))
				resolve({ results, stoppedBy });
		};
		schedule.stop?.addEventListener('abort', fill, { once: true });
		fill();
	});
}
