import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as loan from './actions/loan/Loan.resource';
import * as payout from './actions/payout/Payout.resource';
import * as record from './actions/record/Record.resource';
import { route } from './actions/router';

export class Crego implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Crego',
		name: 'crego',
		icon: { light: 'file:crego.svg', dark: 'file:crego.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Refund, adjust, disburse and reconcile loans in Crego's loan management system",
		defaults: { name: 'Crego' },
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
					{ name: 'Loan', value: 'loan' },
					{ name: 'Payout', value: 'payout' },
					{ name: 'Record', value: 'record' },
				],
				default: 'loan',
			},
			...loan.properties,
			...payout.properties,
			...record.properties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
