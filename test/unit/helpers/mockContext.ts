/**
 * A small stand-in for n8n's execute context: the parameters of each item as already
 * resolved (no expressions), the node, and a node context. Enough for what operations
 * and write safety read; anything else throws, so a test never leans on n8n by accident.
 */
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IExecuteFunctions,
	INode,
} from 'n8n-workflow';

import { MemoryProcessedDataStore } from '../../helpers/memoryProcessedDataStore';

export { MemoryProcessedDataStore };

export interface MockOptions {
	node?: Partial<INode>;
	/** n8n's processed-data store (the ledger's), shared by the contexts of "executions" that use it. */
	store?: MemoryProcessedDataStore;
	executionId?: string;
	/** The workflow's static data (where the ledger keeps each send's detail), shared like the store. */
	staticData?: Record<string, unknown>;
	hints?: Array<{ message: string }>;
}

/**
 * The node's store helpers (what n8n-core gives a node: scope and values) over the
 * engine suites' in-memory twin of n8n's processed-data store, called directly.
 */
function storeHelpers(store: MemoryProcessedDataStore, workflowId: string, node: INode) {
	const contextData = { workflow: { id: workflowId }, node } as ICheckProcessedContextData;
	return {
		getProcessedDataCount: async (scope: DeduplicationScope) =>
			await store.getProcessedDataCount(scope, contextData),
		checkProcessedAndRecord: async (
			values: DeduplicationItemTypes[],
			scope: DeduplicationScope,
			options: ICheckProcessedOptions,
		) => await store.checkProcessedAndRecord(values, scope, contextData, options),
		removeProcessed: async (values: DeduplicationItemTypes[], scope: DeduplicationScope) =>
			await store.removeProcessed(values, scope, contextData),
	};
}

/** Reads `options.reference` from `{options: {reference: …}}`. */
function atPath(parameters: Record<string, unknown>, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
			parameters,
		);
}

export function mockContext(
	items: Array<Record<string, unknown>>,
	{ node = {}, store, executionId = '1', staticData = {}, hints = [] }: MockOptions = {},
): IExecuteFunctions {
	const fullNode: INode = {
		id: 'node-1',
		name: 'Crego',
		type: 'n8n-nodes-crego.crego',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...node,
	};
	const nodeContext: Record<string, unknown> = {};
	const context = {
		helpers: store ? storeHelpers(store, 'workflow-1', fullNode) : {},
		getWorkflow: () => ({ id: 'workflow-1' }),
		getExecutionId: () => executionId,
		getWorkflowStaticData: () => staticData,
		getWorkflowDataProxy: () => ({ $runIndex: 0 }),
		addExecutionHints: (...added: Array<{ message: string }>) => hints.push(...added),
		getNode: () => fullNode,
		getInputData: () => items.map((_, i) => ({ json: { i } })),
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			const value = atPath(items[itemIndex] ?? {}, name);
			if (value !== undefined) return value;
			if (arguments.length >= 3) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		getContext: () => nodeContext,
		continueOnFail: () => false,
		isToolExecution: () => false,
	};
	return new Proxy(context, {
		get(target, key) {
			if (key in target) return target[key as keyof typeof target];
			if (key === 'then') return undefined;
			throw new Error(
				`The mocked context has no ${String(key)}: the test reaches further into n8n than a unit test should`,
			);
		},
	}) as unknown as IExecuteFunctions;
}
