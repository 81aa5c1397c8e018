/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ExecutionError,
	type ICredentialType,
	type IConnections,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type ITaskData,
	type IWorkflowExecuteAdditionalData,
	type IDataObject,
	type NodeConnectionType,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';

/** The package as it ships: tests load the built files that n8n will load. */

const { Crego } = require('../../dist/nodes/Crego/Crego.node.js') as { Crego: new () => INodeType };

const { CregoApi } = require('../../dist/credentials/CregoApi.credentials.js') as {
	CregoApi: new () => ICredentialType;
};

export const cregoApi = new CregoApi();
export const CREGO_NODE_TYPE = 'n8n-nodes-crego.crego';
/** A fresh Crego node type, as n8n builds it from the package. */
export const cregoNodeType = (): INodeType => new Crego();

/**
 * A stand-in for n8n's Loop Over Items: each run sends the next batch of the items it
 * first received down output 1 ("loop", wired to the Crego node and back), and nothing
 * once they are all sent. The Crego node thus runs once per batch in one execution.
 */
function batchesNodeType(batchSize: number): INodeType {
	return {
		description: {
			displayName: 'Test Batches',
			name: 'testBatches',
			group: ['transform'],
			version: 1,
			description: 'Loops over items in batches',
			defaults: { name: 'Batches' },
			inputs: ['main' as NodeConnectionType],
			outputs: ['main' as NodeConnectionType, 'main' as NodeConnectionType],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const state = this.getContext('node') as { items?: INodeExecutionData[]; next?: number };
			if (!state.items) {
				state.items = this.getInputData().map((item) => ({ json: item.json }));
				state.next = 0;
			}
			const batch = state.items.slice(state.next, (state.next ?? 0) + batchSize);
			state.next = (state.next ?? 0) + batchSize;
			return [[], batch.map((item, i) => ({ ...item, pairedItem: { item: i } }))];
		},
	};
}

/** A start node that emits the items a test gives it, as a spreadsheet node would. */
function inputNodeType(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Test Input',
			name: 'testInput',
			group: ['input'],
			version: 1,
			description: 'Emits test items',
			defaults: { name: 'Input' },
			inputs: [],
			outputs: ['main' as NodeConnectionType],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			return [items];
		},
	};
}

export interface RunOptions {
	/** The Crego node's parameters (resource, operation and fields). */
	parameters: INodeParameters;
	/** The items the node receives; default one empty item. */
	items?: Array<Record<string, unknown>>;
	credentials: { baseUrl: string; accessToken: string };
	/** n8n's "On Error" setting of the node. */
	onError?: INode['onError'];
	/** n8n's "Retry On Fail" setting of the node. */
	retryOnFail?: boolean;
	/** Runs the node once per batch of this many items, in a loop, within one execution. */
	batchSize?: number;
	/** Runs the node as the tool of an agent node (Input → agent, Crego tool → agent's ai_tool input). */
	agent?: { agentType: INodeType; toolType: INodeType };
	/** Extra node types (e.g. a credential-test node) and the node to run instead of Crego. */
	node?: { type: string; nodeType: INodeType; parameters?: INodeParameters };
	/** The Crego node's version, as a saved workflow holds it; default 1 (the tests written for it). */
	typeVersion?: number;
	/** The workflow's id (the ledger is per workflow and node); default "wf-test". */
	workflowId?: string;
	/** The execution's id; default a new one per run, as n8n gives. */
	executionId?: string;
	/** The workflow's static data, kept by n8n between executions (not for manual ones): pass the same object to share it. */
	staticData?: IDataObject;
	/** n8n's execution mode; default "manual". */
	mode?: WorkflowExecuteMode;
	/** Retries this failed run, as n8n's Retry button does. */
	retryOf?: IRun;
	/** Presses Stop (cancels the execution as n8n does) once this resolves; it is called when the Crego node starts. */
	stopWhen?: () => Promise<void>;
}

export interface RunResult {
	/** The node's first (success) output; with batches, all runs' outputs in order; with an agent, the agent's. */
	output: INodeExecutionData[];
	/** The node's second output, when "On Error" routes errors to an error output. */
	errorOutput: INodeExecutionData[];
	/** The workflow's error when the node stopped the run. */
	error?: ExecutionError;
	run: IRun;
	/** The execution hints the node gave (shown above its output in n8n). */
	hints: string[];
	/**
	 * With stopWhen: what the Crego node itself returned (or threw). n8n ends a stopped
	 * execution at once and lets the node finish in the background; this resolves then.
	 */
	nodeFinished?: Promise<{
		output?: INodeExecutionData[][];
		error?: Error & { context?: IDataObject };
	}>;
}

let executions = 0;

/** Runs Input → node through n8n-core's real WorkflowExecute, as n8n runs a manual execution. */
export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const items = (options.items ?? [{}]).map((json) => ({ json }) as INodeExecutionData);
	const nodeTypeName = options.node?.type ?? CREGO_NODE_TYPE;
	const crego = new Crego();
	let nodeFinished: RunResult['nodeFinished'];
	let stop = () => {};
	if (options.stopWhen) {
		const execute = crego.execute!;
		const { stopWhen } = options;
		crego.execute = function (this: IExecuteFunctions) {
			void stopWhen().then(() => stop());
			const running = execute.call(this) as Promise<INodeExecutionData[][]>;
			nodeFinished = running.then(
				(output) => ({ output }),
				(error: Error & { context?: IDataObject }) => ({ error }),
			);
			return running;
		};
	}
	const types: Record<string, INodeType> = {
		'test.input': inputNodeType(items),
		'test.batches': batchesNodeType(options.batchSize ?? 1),
		[CREGO_NODE_TYPE]: crego,
	};
	if (options.node) types[options.node.type] = options.node.nodeType;
	if (options.agent) {
		types['test.agent'] = options.agent.agentType;
		types[`${CREGO_NODE_TYPE}Tool`] = options.agent.toolType;
	}
	const nodeTypes: INodeTypes = {
		getByName: (name) => types[name],
		getByNameAndVersion: (name) => types[name],
		getKnownTypes: () => ({}),
	};

	const input: INode = {
		id: 'input',
		name: 'Input',
		type: 'test.input',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const subject: INode = {
		id: 'subject',
		name: 'Crego',
		type: options.agent ? `${CREGO_NODE_TYPE}Tool` : nodeTypeName,
		typeVersion: options.typeVersion ?? 1,
		position: [200, 0],
		parameters: options.node?.parameters ?? options.parameters,
		credentials: { cregoApi: { id: 'cred-1', name: 'Crego sandbox' } },
		...(options.onError ? { onError: options.onError } : {}),
		...(options.retryOnFail ? { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } : {}),
	};
	const main = 'main' as NodeConnectionType;
	const batches: INode = {
		id: 'batches',
		name: 'Batches',
		type: 'test.batches',
		typeVersion: 1,
		position: [100, 0],
		parameters: {},
	};
	const agent: INode = {
		id: 'agent',
		name: 'Agent',
		type: 'test.agent',
		typeVersion: 1,
		position: [400, 0],
		parameters: {},
	};
	const nodes = options.batchSize
		? [input, batches, subject]
		: options.agent
			? [input, agent, subject]
			: [input, subject];
	const connections: IConnections = options.agent
		? {
				Input: { main: [[{ node: 'Agent', type: main, index: 0 }]] },
				Crego: { ai_tool: [[{ node: 'Agent', type: 'ai_tool' as NodeConnectionType, index: 0 }]] },
			}
		: options.batchSize
			? {
					Input: { main: [[{ node: 'Batches', type: main, index: 0 }]] },
					Batches: { main: [[], [{ node: 'Crego', type: main, index: 0 }]] },
					Crego: { main: [[{ node: 'Batches', type: main, index: 0 }]] },
				}
			: { Input: { main: [[{ node: 'Crego', type: main, index: 0 }]] } };
	const workflowId = options.workflowId ?? 'wf-test';
	const executionId = options.executionId ?? `exec-${++executions}`;
	const mode = options.mode ?? 'manual';
	const workflow = new Workflow({
		id: workflowId,
		name: 'Crego test',
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings: { timezone: 'Asia/Kolkata' },
		staticData: options.staticData,
	});

	const credentialsHelper = new TestCredentialsHelper(
		{ cregoApi },
		{ cregoApi: { ...options.credentials } },
	);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: 'Crego test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
	} as never);
	const additionalData = {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1:5678/formBaseUrl',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/formWaitingBaseUrl',
		formTestBaseUrl: 'http://127.0.0.1:5678/formTestBaseUrl',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhookBaseUrl',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhookWaitingBaseUrl',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhookTestBaseUrl',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcpBaseUrl',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcpTestBaseUrl',
		variables: {},
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used in these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('task runners are not used in these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	let run: IRun;
	if (options.retryOf) {
		// As n8n's Retry: the failed execution's data, without its error and the failed node's last run.
		const data = structuredClone(options.retryOf.data) as IRun['data'];
		delete data.resultData.error;
		const failedRuns = data.resultData.runData[data.resultData.lastNodeExecuted ?? ''];
		if (failedRuns?.length && failedRuns[failedRuns.length - 1].error !== undefined)
			failedRuns.pop();
		run = await new WorkflowExecute(additionalData, 'retry', data).processRunExecutionData(
			workflow,
		);
	} else {
		const running = new WorkflowExecute(additionalData, mode, createRunExecutionData({})).run({
			workflow,
			startNode: input,
		});
		stop = () => running.cancel();
		run = await running;
	}
	const runs: ITaskData[] = run.data.resultData.runData[options.agent ? 'Agent' : 'Crego'] ?? [];
	return {
		output: runs.flatMap((task) => task.data?.main?.[0] ?? []),
		errorOutput: runs.flatMap((task) => task.data?.main?.[1] ?? []),
		error: run.data.resultData.error,
		run,
		hints: runs.flatMap((task) => task.hints ?? []).map((hint) => hint.message),
		...(options.stopWhen ? { nodeFinished: waitForNode(() => nodeFinished) } : {}),
	};
}

/** The node's own end, once it has started (it may start after a quick Stop: then it is not awaited for ever). */
async function waitForNode(
	started: () => RunResult['nodeFinished'],
): NonNullable<RunResult['nodeFinished']> {
	for (let waited = 0; !started() && waited < 5_000; waited += 10)
		await new Promise((resolve) => setTimeout(resolve, 10));
	return (await started()) ?? {};
}
