import type { INodeProperties } from 'n8n-workflow';

import type { CregoOperation } from '../operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, CregoOperation> = { getAll };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['settlement'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many settlements',
				description: 'List the settlements of a loan or a demand, following Crego\'s pages',
			},
		],
		default: 'getAll',
	},
	...getAll.properties,
];
