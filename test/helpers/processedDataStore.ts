/** The in-memory processed-data store, set up in n8n-core as n8n does at start, once per test file. */
import { DataDeduplicationService } from 'n8n-core';

import { MemoryProcessedDataStore } from './memoryProcessedDataStore';

export { MemoryProcessedDataStore };

let store: MemoryProcessedDataStore | undefined;

/** The store of this test file (jest gives each file its own modules), set up once. */
export async function processedDataStore(): Promise<MemoryProcessedDataStore> {
	if (!store) {
		store = new MemoryProcessedDataStore();
		await DataDeduplicationService.init(store);
	}
	return store;
}
