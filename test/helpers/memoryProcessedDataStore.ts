/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * n8n's processed-data store, in memory, for in-process tests: an implementation of
 * n8n-workflow's IDataDeduplicator with the semantics of n8n's own database-backed one
 * (values kept as md5 hashes, mode "entries" with maxEntries dropping the oldest, one
 * record per workflow and scope, the node scope keyed by the node's id). The engine suites
 * hand it to n8n-core's DataDeduplicationService as n8n does at start
 * (processedDataStore.ts); the unit layer calls it directly. With `latencyMs` it is a slow
 * database as n8n's is: each call reads the record (one query), then writes the whole
 * record back (another), with no lock, so a call that read before another's write undoes
 * that write.
 */
import { createHash } from 'node:crypto';

import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

export class MemoryProcessedDataStore implements IDataDeduplicator {
	readonly records = new Map<string, { mode: string; hashes: string[] }>();
	/** Every call, for tests that count the store's work. */
	calls = 0;
	/**
	 * Each call's time, as n8n's two queries (read, then write) each take it; 0: calls are
	 * instant (and atomic). With `jitter`, each query takes from 0.75 to 1.25 times
	 * it (a busy database), drawn from a seeded sequence so a failure repeats.
	 */
	latencyMs = 0;
	jitter?: () => number;
	/** Calls whose values match take `factor` times as long to write back (one busy connection). */
	slowWrite?: {
		when: (items: DeduplicationItemTypes[]) => boolean;
		factor: (items: DeduplicationItemTypes[]) => number;
	};
	/** Makes a call fail, as a database can: decided per call from its method and values. */
	failWhen?: (
		method: 'checkProcessedAndRecord' | 'removeProcessed',
		items: DeduplicationItemTypes[],
	) => boolean;

	private maybeFail(
		method: 'checkProcessedAndRecord' | 'removeProcessed',
		items: DeduplicationItemTypes[],
	) {
		if (this.failWhen?.(method, items)) throw new Error('SQLITE_BUSY: database is locked');
	}

	private recordKey(scope: DeduplicationScope, { workflow, node }: ICheckProcessedContextData) {
		if (scope === 'node' && !node)
			throw new Error("No node information has been provided and so cannot use scope 'node'");
		return `${workflow.id}|${scope === 'node' ? `n:${node!.id}` : ''}`;
	}

	private static hash(value: DeduplicationItemTypes) {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		this.calls++;
		this.maybeFail('checkProcessedAndRecord', items);
		const key = this.recordKey(scope, contextData);
		await this.wait();
		const record = this.records.get(key);
		if (record && record.mode !== options.mode)
			throw new Error('Deduplication data was originally saved with an incompatible setting');
		// What this call read: a slow call writes back its own copy over whatever was written meanwhile.
		const hashes = [...(record?.hashes ?? [])];
		// As n8n's: the set is taken before the call, so a value twice in one call is "new" twice.
		const known = new Set(hashes);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const hash = MemoryProcessedDataStore.hash(item);
			if (known.has(hash)) output.processed.push(item);
			else {
				output.new.push(item);
				hashes.push(hash);
			}
		}
		if (options.maxEntries) hashes.splice(0, Math.max(0, hashes.length - options.maxEntries));
		await this.wait(this.slowWrite?.when(items) ? this.slowWrite.factor(items) : 1);
		this.records.set(key, { mode: options.mode, hashes });
		return output;
	}

	private async wait(factor = 1) {
		if (this.latencyMs > 0)
			await new Promise((resolve) =>
				setTimeout(
					resolve,
					factor * this.latencyMs * (this.jitter ? 0.75 + 0.5 * this.jitter() : 1),
				),
			);
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	) {
		this.calls++;
		this.maybeFail('removeProcessed', items);
		const key = this.recordKey(scope, contextData);
		await this.wait();
		const record = this.records.get(key);
		if (!record) return;
		const hashes = [...record.hashes];
		// As n8n's, to the cost: a findIndex with a callback from the start of the list for each value.
		for (const item of items) {
			const hash = MemoryProcessedDataStore.hash(item);
			const index = hashes.findIndex((value) => value === hash);
			if (index !== -1) hashes.splice(index, 1);
		}
		await this.wait();
		this.records.set(key, { mode: record.mode, hashes });
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData) {
		this.calls++;
		this.records.delete(this.recordKey(scope, contextData));
	}

	async getProcessedDataCount(scope: DeduplicationScope, contextData: ICheckProcessedContextData) {
		this.calls++;
		await this.wait();
		return this.records.get(this.recordKey(scope, contextData))?.hashes.length ?? 0;
	}

	clear() {
		this.records.clear();
		this.calls = 0;
		this.latencyMs = 0;
		this.jitter = undefined;
		this.slowWrite = undefined;
		this.failWhen = undefined;
	}
}
