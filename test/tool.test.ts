/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The node as an AI agent's tool. n8n turns a `usableAsTool` node into `<name>Tool`
 * (inputs none, output `ai_tool`, plus a tool description), and n8n-core's
 * `createNodeAsTool` hands it to the agent through `getInputConnectionData('ai_tool')`.
 * A tiny fake agent calls the tool with the arguments a model would give; no model needed.
 */
import type { StructuredToolInterface } from '@langchain/core/tools';
import type {
	AINodeConnectionType,
	IExecuteFunctions,
	INodeType,
	NodeConnectionType,
} from 'n8n-workflow';

import { cregoNodeType } from './helpers/engine';
import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

/** What n8n does to a node with usableAsTool (n8n's convertNodeToAiTool, in short). */
function asTool(nodeType: INodeType): INodeType {
	const description = { ...nodeType.description };
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = ['ai_tool' as NodeConnectionType];
	delete description.usableAsTool;
	description.properties = [
		...description.properties,
		{
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: description.description,
		},
	];
	return { description, execute: nodeType.execute, methods: nodeType.methods };
}

/** Calls each connected tool once with the arguments of its input item; puts out the answers. */
const fakeAgent: INodeType = {
	description: {
		displayName: 'Fake Agent',
		name: 'fakeAgent',
		group: ['transform'],
		version: 1,
		description: 'Calls its tool as an agent would',
		defaults: { name: 'Agent' },
		inputs: ['main' as NodeConnectionType, 'ai_tool' as NodeConnectionType],
		outputs: ['main' as NodeConnectionType],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		const tools = (await this.getInputConnectionData(
			'ai_tool' as AINodeConnectionType,
			0,
		)) as StructuredToolInterface[];
		const [tool] = tools;
		const answers = [];
		for (const item of this.getInputData()) {
			try {
				answers.push({
					json: {
						tool: tool.name,
						schema: Object.keys((tool.schema as { shape: object }).shape ?? {}),
						answer: await tool.invoke(item.json),
					},
				});
			} catch (error) {
				answers.push({ json: { tool: tool.name, error: (error as Error).message } });
			}
		}
		return [answers];
	},
};

const runAsAgent = (
	toolParameters: Record<string, unknown>,
	args: Record<string, unknown>,
	typeVersion = 1,
) =>
	sandbox.run(toolParameters, {
		items: [args],
		agent: { agentType: fakeAgent, toolType: asTool(cregoNodeType()) },
		typeVersion,
	});

test('version 2 as a tool: $fromAI inside the Record ID locator, Output Selected Fields gives the agent the ID and what was chosen', async () => {
	const result = await runAsAgent(
		{
			resource: 'record',
			operation: 'get',
			recordId: {
				__rl: true,
				mode: 'id',
				value: "={{ $fromAI('recordId', 'The Crego record ID, a UUID') }}",
			},
			output: 'selected',
			fields: ['status', 'amount'],
		},
		{ recordId: ids.DOCS_RECORD_ID },
		2,
	);
	expect(result.error).toBeUndefined();
	const [answer] = result.output;
	expect(answer.json.schema).toEqual(['recordId']);
	const [record] = JSON.parse(answer.json.answer as string);
	const { response } = sandbox.requests[0];
	expect(record).toEqual({
		id: ids.DOCS_RECORD_ID,
		status: response.status,
		amount: response.amount,
	});
});

test('an agent gets a record: the tool schema comes from $fromAI, the answer is the simplified record', async () => {
	const result = await runAsAgent(
		{
			resource: 'record',
			operation: 'get',
			recordId: "={{ $fromAI('recordId', 'The Crego record ID, a UUID') }}",
		},
		{ recordId: ids.DOCS_RECORD_ID },
	);
	expect(result.error).toBeUndefined();
	const [answer] = result.output;
	expect(answer.json.schema).toEqual(['recordId']);
	const records = JSON.parse(answer.json.answer as string);
	expect(records).toEqual([
		expect.objectContaining({
			id: ids.DOCS_RECORD_ID,
			ref_id: 'REC01741',
			date: '2022-09-05T23:58:44.802+05:30',
		}),
	]);
	expect(sandbox.requests.map((r) => [r.method, r.path, r.query])).toEqual([
		['GET', `/v1/lms/records/${ids.DOCS_RECORD_ID}/`, { expand: 'payouts' }],
	]);
});

test('an unknown write outcome tells the agent not to retry, and was sent once', async () => {
	sandbox.injectFault({
		path: `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`,
		status: 502,
		body: '',
	});
	const result = await runAsAgent(
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: "={{ $fromAI('loanId', 'Loan UUID') }}",
			amount: "={{ $fromAI('amount', 'Amount in rupees', 'number') }}",
			refundType: 'cashback_refund',
		},
		{ loanId: ids.DOCS_LOAN_ID, amount: 1 },
	);
	expect(result.output[0].json.error).toMatch(/^Item 0: Outcome unknown: Crego had a server error/);
	expect(result.output[0].json.error).toContain(
		'do not re-run this row (or ask an agent to retry it) blindly',
	);
	expect(sandbox.requests).toHaveLength(1);
});

test('API Request as a tool: an agent may only read unless the user allowed writes', async () => {
	const parameters = {
		resource: 'apiRequest',
		operation: 'send',
		method: "={{ $fromAI('method', 'GET or POST') }}",
		path: "={{ $fromAI('path', 'Path under /v1/lms/') }}",
		jsonBody: '{"loan_id": "f59b69c8-9e47-46a1-b2c9-83ae42666a30", "amount": 10}',
	};
	const refused = await runAsAgent(parameters, {
		method: 'POST',
		path: '/v1/lms/payouts/add_tranche/',
	});
	expect(refused.output[0].json.error).toMatch(
		/^POST requests are not allowed for an AI agent: this tool only reads/,
	);
	expect(sandbox.requests).toHaveLength(0);

	const read = await runAsAgent(parameters, { method: 'GET', path: '/v1/lms/settlements/' });
	expect(JSON.parse(read.output[0].json.answer as string)).toMatchObject([{ count: 28 }]);

	const allowed = await runAsAgent(
		{ ...parameters, options: { allowAgentWrites: true } },
		{ method: 'POST', path: '/v1/lms/payouts/add_tranche/' },
	);
	expect(JSON.parse(allowed.output[0].json.answer as string)).toMatchObject([
		{ type: 'disbursement', status: 'pending' },
	]);
	expect(sandbox.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
});

test('every operation and parameter has a description an agent can use', () => {
	const { properties } = cregoNodeType().description;
	const undescribed = properties.filter(
		(p) =>
			p.type !== 'collection' &&
			p.type !== 'fixedCollection' &&
			!p.description &&
			p.name !== 'resource' &&
			p.name !== 'operation',
	);
	expect(undescribed.map((p) => p.name)).toEqual([]);
	for (const operation of properties.filter((p) => p.name === 'operation')) {
		for (const option of operation.options as Array<{ description?: string }>)
			expect((option.description ?? '').length).toBeGreaterThan(20);
	}
});
