import { runWorkflow, type RunOptions, type RunResult } from './engine';
import { processedDataStore, type MemoryProcessedDataStore } from './processedDataStore';
import { startSandbox, type FaultRule, type RecordedRequest, type RunningSandbox } from './sandbox';

export interface SandboxForTests {
	readonly url: string;
	readonly token: string;
	/** What the sandbox received since the last test began. */
	readonly requests: RecordedRequest[];
	readonly state: RunningSandbox['state'];
	/** Makes the sandbox misbehave for matching requests (see sandbox/faults.js). */
	injectFault(rule: FaultRule): void;
	/** Removes every fault (state and log stay). */
	clearFaults(): void;
	/** Plays a server that ignores the page parameter. */
	ignorePageParameter(): void;
	/** Runs the Crego node with these parameters through the engine, against this sandbox. */
	run(parameters: Record<string, unknown>, options?: Partial<RunOptions>): Promise<RunResult>;
	/** n8n's processed-data store (the ledger's), in memory; undefined when the file runs without one. */
	readonly store: MemoryProcessedDataStore | undefined;
}

/**
 * One sandbox per test file, fresh state and an empty request log for every test; and,
 * as in a real n8n, a processed-data store, emptied for every test (`processedDataStore:
 * false` plays an n8n without one).
 */
export function useSandbox({ processedDataStore: withStore = true } = {}): SandboxForTests {
	let sandbox: RunningSandbox;
	let store: MemoryProcessedDataStore | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox();
		if (withStore) store = await processedDataStore();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		store?.clear();
	});
	return {
		get store() {
			return store;
		},
		get url() {
			return sandbox.url;
		},
		get token() {
			return sandbox.token;
		},
		get requests() {
			return sandbox.requests;
		},
		get state() {
			return sandbox.state;
		},
		injectFault: (rule) => sandbox.injectFault(rule),
		clearFaults: () => sandbox.clearFaults(),
		ignorePageParameter: () => sandbox.ignorePageParameter(),
		run: (parameters, options = {}) =>
			runWorkflow({
				parameters: parameters as RunOptions['parameters'],
				credentials: { baseUrl: sandbox.url, accessToken: sandbox.token },
				...options,
			}),
	};
}
