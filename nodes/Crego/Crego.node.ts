import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import * as apiRequest from './actions/apiRequest/ApiRequest.resource';
import * as loan from './actions/loan/Loan.resource';
import * as payout from './actions/payout/Payout.resource';
import * as record from './actions/record/Record.resource';
import * as settlement from './actions/settlement/Settlement.resource';
import { OPERATIONS } from './actions/operations';
import { runOperation } from './run/runOperation';
import { LATEST_VERSION, NODE_VERSIONS } from './vocabulary/nodeVersion';

export class Crego implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Crego',
		name: 'crego',
		icon: { light: 'file:crego.svg', dark: 'file:crego.dark.svg' },
		group: ['transform'],
		version: NODE_VERSIONS,
		defaultVersion: LATEST_VERSION,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Refund, adjust, disburse and reconcile loans in Crego's loan management system",
		defaults: { name: 'Crego' },
		// An absolute link is opened as it is; the codex link gets n8n's tracking parameters
		// appended, which would land inside a #anchor.
		documentationUrl: 'https://github.com/crego-n8n/n8n-nodes-crego#operations',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cregoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'API Request', value: 'apiRequest' },
					{ name: 'Loan', value: 'loan' },
					{ name: 'Payout', value: 'payout' },
					{ name: 'Record', value: 'record' },
					{ name: 'Settlement', value: 'settlement' },
				],
				default: 'loan',
			},
			...account.properties,
			...apiRequest.properties,
			...loan.properties,
			...payout.properties,
			...record.properties,
			...settlement.properties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, OPERATIONS);
	}
}
