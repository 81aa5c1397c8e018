import type { INodeProperties } from 'n8n-workflow';

import type { CregoOperation } from '../operation';
import * as updateLoanParams from './updateLoanParams.operation';

export const operations: Record<string, CregoOperation> = { updateLoanParams };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Update Loan Params',
				value: 'updateLoanParams',
				action: 'Update the loan parameters of an account',
				description: 'Set the approved line, EMI count, interest and processing fee of a lead in a program (marked "Developing" in Crego\'s docs)',
			},
		],
		default: 'updateLoanParams',
	},
	...updateLoanParams.properties,
];
