import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../fields';
import type { CregoOperation } from '../../vocabulary/operation';
import * as processPayout from './process.operation';
import * as requestTranche from './requestTranche.operation';

export const operations: Record<string, CregoOperation> = {
	process: processPayout,
	requestTranche,
};

export const properties: INodeProperties[] = [
	operationField(
		'payout',
		[
			{
				name: 'Process',
				value: 'process',
				action: 'Process payout',
				description:
					'Mark a payout as paid, with the UTR, value date and debit bank of the transfer',
			},
			{
				name: 'Request Tranche',
				value: 'requestTranche',
				action: 'Request tranche payout for loan',
				description: 'Request disbursement of a tranche of a loan (creates a pending payout)',
			},
		],
		'process',
	),
	...processPayout.properties,
	...requestTranche.properties,
];
