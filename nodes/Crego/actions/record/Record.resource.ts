import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import type { CregoOperation } from '../../vocabulary/operation';
import * as get from './get.operation';

export const operations: Record<string, CregoOperation> = { get };

export const properties: INodeProperties[] = [
	operationField(
		'record',
		[
			{
				name: 'Get',
				value: 'get',
				action: 'Get record',
				description: 'Get one record, with its payouts if wanted',
			},
		],
		'get',
	),
	...get.properties,
];
