import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import type { CregoOperation } from '../../vocabulary/operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, CregoOperation> = { getAll };

export const properties: INodeProperties[] = [
	operationField(
		'settlement',
		[
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many settlements',
				description: "List the settlements of a loan or a demand, following Crego's pages",
			},
		],
		'getAll',
	),
	...getAll.properties,
];
