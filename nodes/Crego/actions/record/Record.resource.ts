import type { INodeProperties } from 'n8n-workflow';

import type { CregoOperation } from '../operation';
import * as get from './get.operation';

export const operations: Record<string, CregoOperation> = { get };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['record'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a record',
				description: 'Get one record, with its payouts if wanted',
			},
		],
		default: 'get',
	},
	...get.properties,
];
