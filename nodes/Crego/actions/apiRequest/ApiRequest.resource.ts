import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import type { CregoOperation } from '../../vocabulary/operation';
import * as send from './send.operation';

export const operations: Record<string, CregoOperation> = { send };

export const properties: INodeProperties[] = [
	operationField(
		'apiRequest',
		[
			{
				name: 'Send',
				value: 'send',
				action: 'Send API request',
				description:
					'Call any other LMS endpoint under /v1/lms/ with this credential, its errors and safety rules',
			},
		],
		'send',
	),
	...send.properties,
];
