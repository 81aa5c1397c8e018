import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import type { CregoOperation } from '../../vocabulary/operation';
import * as initiateAdjustment from './initiateAdjustment.operation';
import * as initiateRefund from './initiateRefund.operation';

export const operations: Record<string, CregoOperation> = { initiateAdjustment, initiateRefund };

export const properties: INodeProperties[] = [
	operationField(
		'loan',
		[
			{
				name: 'Initiate Adjustment',
				value: 'initiateAdjustment',
				action: 'Initiate adjustment for loan',
				description: 'Adjust a loan by a cashback or holdback amount (creates a processed record)',
			},
			{
				name: 'Initiate Refund',
				value: 'initiateRefund',
				action: 'Initiate refund for loan',
				description:
					'Refund a cashback or holdback amount to the borrower (creates a payout awaiting approval)',
			},
		],
		'initiateRefund',
	),
	...initiateAdjustment.properties,
	...initiateRefund.properties,
];
