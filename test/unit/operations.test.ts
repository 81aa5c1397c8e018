/**
 * Each operation's request (actions/), from a small mocked context: the path and body the
 * docs give, the method it declares (one truth for "write"), a write's keys and lanes, and
 * a bad field refused naming the field and the item — nothing sent, nothing built twice.
 */
import { NodeOperationError } from 'n8n-workflow';

import { OPERATIONS } from '../../nodes/Crego/actions/operations';
import { HTTP_METHODS } from '../../nodes/Crego/values/httpMethod';
import { mayWrite, operationKind } from '../../nodes/Crego/vocabulary/operation';
import { isWrite, type PreparedRequest } from '../../nodes/Crego/vocabulary/request';
import { mockContext } from './helpers/mockContext';

const LOAN = 'f59b69c8-9e47-46a1-b2c9-83ae42666a30';
const OTHER = '0b1f7c2e-3d4a-4b5c-8d6e-7f8091a2b3c4';

/** Per operation: valid parameters, the request they make, and one field to break. */
const CASES: Record<
	string,
	{
		parameters: Record<string, unknown>;
		expected: Partial<PreparedRequest>;
		broken: [string, unknown, RegExp];
	}
> = {
	'loan.initiateRefund': {
		parameters: { loanId: LOAN, amount: '1,500.50', refundType: 'cashback_refund' },
		expected: {
			method: 'POST',
			path: `/v1/lms/loans/${LOAN}/refunds/`,
			body: { amount: 1500.5, type: 'cashback_refund' },
		},
		broken: ['amount', 'abc', /^Item 0: Amount is not a number: "abc"$/],
	},
	'loan.initiateAdjustment': {
		parameters: { loanId: LOAN, amount: 25, adjustmentType: 'holdback' },
		expected: { method: 'POST', path: `/v1/lms/loans/${LOAN}/adjustments/` },
		broken: ['loanId', 'not-a-loan', /^Item 0: Loan ID is not a Crego ID/],
	},
	'payout.requestTranche': {
		parameters: { loanId: LOAN, amount: 5000 },
		expected: {
			method: 'POST',
			path: '/v1/lms/payouts/add_tranche/',
			body: { loan_id: LOAN, amount: 5000 },
		},
		broken: ['amount', 0, /^Item 0: Amount must be at least 0.01/],
	},
	'payout.process': {
		parameters: { payoutId: LOAN, utr: ' utr 123 ', processedAt: '2023-08-28', debitBankId: OTHER },
		expected: {
			method: 'PUT',
			path: `/v1/lms/payouts/${LOAN}/mark_processed/`,
			body: { utr: 'utr 123', processed_at: 1693161000, debit_bank_id: OTHER },
		},
		broken: ['processedAt', '2023-02-30', /^Item 0: Processed At is not a calendar date/],
	},
	'account.updateLoanParams': {
		parameters: { leadId: LOAN, programId: OTHER, updateFields: { emiCount: 12 } },
		expected: {
			method: 'PATCH',
			path: '/v1/lms/accounts/initiate_loan_params/',
			body: { lead_id: LOAN, program_id: OTHER, loan_data: { emi_count: '12' } },
		},
		broken: ['programId', '', /^Item 0: Program ID is empty$/],
	},
	'record.get': {
		parameters: { recordId: LOAN },
		expected: { method: 'GET', path: `/v1/lms/records/${LOAN}/` },
		broken: ['recordId', 'x', /^Item 0: Record ID is not a Crego ID/],
	},
	'settlement.getAll': {
		parameters: { returnAll: false, limit: 3 },
		expected: { method: 'GET', path: '/v1/lms/settlements/' },
		broken: ['limit', 0, /^Item 0: Limit /],
	},
	'apiRequest.send': {
		parameters: { method: 'post', path: '/v1/lms/loans/x/refunds/', jsonBody: '{"amount": 1}' },
		expected: { method: 'POST', path: '/v1/lms/loans/x/refunds/', body: { amount: 1 } },
		broken: ['method', 'DELETE', /^Item 0: Method is not a method this node sends/],
	},
};

const ALL = Object.entries(OPERATIONS).flatMap(([resource, operations]) =>
	Object.entries(operations).map(([name, operation]) => ({ id: `${resource}.${name}`, operation })),
);

test('every operation has a case here', () => {
	expect(ALL.map(({ id }) => id).sort()).toEqual(Object.keys(CASES).sort());
});

describe.each(ALL)('$id', ({ id, operation }) => {
	const { parameters, expected, broken } = CASES[id];
	const prepare = (items: Array<Record<string, unknown>>, itemIndex = 0) =>
		operation.prepareRequest.call(mockContext(items), itemIndex);

	test('builds the request the docs give, with the method the operation declares', () => {
		const request = prepare([parameters]);
		expect(request).toMatchObject(expected);
		expect(request.path.startsWith('/v1/lms/')).toBe(true);
		if (operation.method === 'chosen') expect(HTTP_METHODS).toContain(request.method);
		else expect(request.method).toBe(operation.method);
		expect(mayWrite(operation)).toBe(operationKind(operation.method) !== 'read');
	});

	test('a write is known by its keys and flies in its lanes; a read has neither', () => {
		const request = prepare([parameters]);
		if (isWrite(request)) {
			expect(request.duplicateKeys?.length).toBeGreaterThan(0);
			expect(request.lanes?.length).toBeGreaterThan(0);
			expect(Object.keys(request.sent).length).toBeGreaterThan(0);
		} else {
			expect(request.duplicateKeys).toBeUndefined();
		}
	});

	test('the same row written another way is the same request; a row after it is read by its own index', () => {
		const first = prepare([parameters]);
		const second = prepare([{}, parameters], 1);
		expect(second).toEqual(first);
	});

	test(`a bad ${broken[0]} is refused naming the field and the item`, () => {
		const [field, value, message] = broken;
		let thrown: unknown;
		try {
			prepare([{ ...parameters, [field]: value }]);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect((thrown as NodeOperationError).message).toMatch(message);
		expect((thrown as NodeOperationError).context.itemIndex).toBe(0);
	});
});
