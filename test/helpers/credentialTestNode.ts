import type { INodeType } from 'n8n-workflow';

import { cregoApi } from './engine';

/**
 * The node n8n's CredentialsTester builds to run a credential's `test` request: a single
 * property whose `routing` is that request, run by n8n-core's RoutingNode.
 */
export const credentialTestNode: INodeType = {
	description: {
		displayName: 'Credential Test',
		name: 'credentialTest',
		group: ['transform'],
		version: 1,
		description: 'Runs the credential test request, as n8n does',
		defaults: { name: 'Credential Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'cregoApi', required: true }],
		properties: [
			{
				displayName: 'Temp',
				name: 'temp',
				type: 'string',
				default: '',
				routing: { request: cregoApi.test!.request },
			},
		],
	},
};
