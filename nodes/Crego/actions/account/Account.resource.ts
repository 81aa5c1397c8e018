import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import type { CregoOperation } from '../../vocabulary/operation';
import * as updateLoanParams from './updateLoanParams.operation';

export const operations: Record<string, CregoOperation> = { updateLoanParams };

export const properties: INodeProperties[] = [
	operationField(
		'account',
		[
			{
				name: 'Update Loan Params',
				value: 'updateLoanParams',
				action: 'Update loan parameters of account',
				description:
					'Set the approved line, EMI count, interest and processing fee of a lead in a program (marked "Developing" in Crego\'s docs)',
			},
		],
		'updateLoanParams',
	),
	...updateLoanParams.properties,
];
