import * as account from './account/Account.resource';
import * as apiRequest from './apiRequest/ApiRequest.resource';
import * as loan from './loan/Loan.resource';
import type { CregoOperation } from '../vocabulary/operation';
import * as payout from './payout/Payout.resource';
import * as record from './record/Record.resource';
import * as settlement from './settlement/Settlement.resource';

/** Every operation of the node, by resource and operation value (the run's and the schema build's list). */
export const OPERATIONS: Record<string, Record<string, CregoOperation>> = {
	account: account.operations,
	apiRequest: apiRequest.operations,
	loan: loan.operations,
	payout: payout.operations,
	record: record.operations,
	settlement: settlement.operations,
};
