import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import type { CregoOperation } from '../operation';
import * as updateLoanParams from './updateLoanParams.operation';

export const operations: Record<string, CregoOperation> = { updateLoanParams };

export const properties: INodeProperties[] = [
	operationField(
		'account',
		[
			{
				name: 'Update Loan Params',
				value: 'updateLoanParams',
				action: 'Update the loan parameters of an account',
				description:
					'Set the approved line, EMI count, interest and processing fee of a lead in a program (marked "Developing" in Crego\'s docs)',
			},
		],
		'updateLoanParams',
	),
	...updateLoanParams.properties,
];
