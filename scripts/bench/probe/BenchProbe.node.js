// @ts-check
'use strict';

/**
 * The bench's probe: a node that does per item only what n8n makes every node do — read
 * the record ID parameter (an expression, when the workflow maps a column), then send a
 * GET through n8n's request helper, `concurrency` at a time — and nothing else. Measured
 * beside the Crego node, it splits the time into what n8n costs any node and what the
 * Crego node adds. Plain JavaScript, so a real n8n loads it as a custom extension
 * (N8N_CUSTOM_EXTENSIONS) as well as n8n-core's engine in process.
 */
class BenchProbe {
	constructor() {
		/** @type {import('n8n-workflow').INodeTypeDescription} */
		this.description = {
			displayName: 'Bench Probe',
			name: 'benchProbe',
			group: ['transform'],
			version: 1,
			description: "n8n's request helper, and nothing else",
			defaults: { name: 'Bench Probe' },
			inputs: [/** @type {import('n8n-workflow').NodeConnectionType} */ ('main')],
			outputs: [/** @type {import('n8n-workflow').NodeConnectionType} */ ('main')],
			credentials: [{ name: 'cregoApi', required: true }],
			properties: [
				{ displayName: 'Record ID', name: 'recordId', type: 'string', default: '' },
				{
					displayName: 'Authenticated Helper',
					name: 'authenticated',
					type: 'boolean',
					default: true,
				},
				{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 25 },
			],
		};
	}

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		const input = this.getInputData();
		const credentials = await this.getCredentials('cregoApi');
		const authenticated = this.getNodeParameter('authenticated', 0);
		const concurrency = Number(this.getNodeParameter('concurrency', 0));
		// Like any node mapping a column: every item's ID read first.
		const recordIds = input.map((_, index) => String(this.getNodeParameter('recordId', index)));
		/** @type {import('n8n-workflow').INodeExecutionData[]} */
		const output = new Array(input.length);
		let next = 0;
		const worker = async () => {
			while (next < input.length) {
				const index = next++;
				/** @type {import('n8n-workflow').IHttpRequestOptions} */
				const options = {
					method: 'GET',
					url: `${credentials.baseUrl}/v1/lms/records/${recordIds[index]}/`,
					qs: { expand: 'payouts' },
					json: true,
					encoding: 'text',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				};
				const response = authenticated
					? await this.helpers.httpRequestWithAuthentication.call(this, 'cregoApi', options, {
							credentialsDecrypted: {
								id: 'bench',
								name: 'bench',
								type: 'cregoApi',
								data: credentials,
							},
						})
					: await this.helpers.httpRequest({
							...options,
							headers: { Authorization: `Bearer ${String(credentials.accessToken)}` },
						});
				output[index] = { json: JSON.parse(response.body), pairedItem: { item: index } };
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
		return [output];
	}
}

module.exports = { BenchProbe };
