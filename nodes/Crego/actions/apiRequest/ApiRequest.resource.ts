import type { INodeProperties } from 'n8n-workflow';

import type { CregoOperation } from '../operation';
import * as send from './send.operation';

export const operations: Record<string, CregoOperation> = { send };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiRequest'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send an API request',
				description: 'Call any other LMS endpoint under /v1/lms/ with this credential, its errors and safety rules',
			},
		],
		default: 'send',
	},
	...send.properties,
];
