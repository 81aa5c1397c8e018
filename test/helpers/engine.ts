import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ExecutionError,
	type ICredentialType,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type ITaskData,
	type IWorkflowExecuteAdditionalData,
	type NodeConnectionType,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';

/** The package as it ships: tests load the built files that n8n will load. */
 
const { Crego } = require('../../dist/nodes/Crego/Crego.node.js') as { Crego: new () => INodeType };
 
const { CregoApi } = require('../../dist/credentials/CregoApi.credentials.js') as { CregoApi: new () => ICredentialType };

export const cregoApi = new CregoApi();
export const CREGO_NODE_TYPE = 'n8n-nodes-crego.crego';

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
	/** Extra node types (e.g. a credential-test node) and the node to run instead of Crego. */
	node?: { type: string; nodeType: INodeType; parameters?: INodeParameters };
}

export interface RunResult {
	/** The node's first (success) output. */
	output: INodeExecutionData[];
	/** The node's second output, when "On Error" routes errors to an error output. */
	errorOutput: INodeExecutionData[];
	/** The workflow's error when the node stopped the run. */
	error?: ExecutionError;
	run: IRun;
}

/** Runs Input → node through n8n-core's real WorkflowExecute, as n8n runs a manual execution. */
export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const items = (options.items ?? [{}]).map((json) => ({ json }) as INodeExecutionData);
	const nodeTypeName = options.node?.type ?? CREGO_NODE_TYPE;
	const types: Record<string, INodeType> = {
		'test.input': inputNodeType(items),
		[CREGO_NODE_TYPE]: new Crego(),
	};
	if (options.node) types[options.node.type] = options.node.nodeType;
	const nodeTypes: INodeTypes = {
		getByName: (name) => types[name],
		getByNameAndVersion: (name) => types[name],
		getKnownTypes: () => ({}),
	};

	const input: INode = { id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: {} };
	const subject: INode = {
		id: 'subject',
		name: 'Crego',
		type: nodeTypeName,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.node?.parameters ?? options.parameters,
		credentials: { cregoApi: { id: 'cred-1', name: 'Crego sandbox' } },
		...(options.onError ? { onError: options.onError } : {}),
	};
	const connections = { Input: { main: [[{ node: 'Crego', type: 'main' as NodeConnectionType, index: 0 }]] } };
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'Crego test',
		nodes: [input, subject],
		connections,
		active: false,
		nodeTypes,
		settings: { timezone: 'Asia/Kolkata' },
	});

	const credentialsHelper = new TestCredentialsHelper({ cregoApi }, { cregoApi: { ...options.credentials } });
	const hooks = new ExecutionLifecycleHooks('manual', 'exec-test', {
		id: 'wf-test',
		name: 'Crego test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [input, subject],
		connections,
	} as never);
	const additionalData = {
		credentialsHelper,
		hooks,
		executionId: 'exec-test',
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

	const execute = new WorkflowExecute(additionalData, 'manual', createRunExecutionData({}));
	const run = await execute.run({ workflow, startNode: input });
	const taskData: ITaskData | undefined = run.data.resultData.runData.Crego?.[0];
	return {
		output: taskData?.data?.main?.[0] ?? [],
		errorOutput: taskData?.data?.main?.[1] ?? [],
		error: run.data.resultData.error,
		run,
	};
}
