/**
 * The batch's pure parts (writeSafety/approval.ts): amounts added as decimals, what the
 * digest depends on, and what Approved Batch accepts.
 */
import { NodeOperationError, type INode } from 'n8n-workflow';

import {
	describeBatch,
	parseApprovedBatch,
	sumDecimals,
	type BatchRow,
} from '../../nodes/Crego/writeSafety/approval';
import { mockContext } from './helpers/mockContext';

test('20,000 rows of 0.10 and 0.20 sum to exactly 3,000, where a float sum does not', () => {
	const amounts = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? 0.2 : 0.1));
	expect(amounts.reduce((a, b) => a + b, 0)).not.toBe(3000);
	expect(sumDecimals(amounts)).toEqual({ text: '3000', any: true });
	expect(sumDecimals(['100000.50', 1500, '250.75', 'abc', undefined])).toEqual({
		text: '101751.25',
		any: true,
	});
	expect(sumDecimals([])).toEqual({ text: '0', any: false });
});

const refund = (
	loan: string,
	amount: number,
	extra: Partial<Extract<BatchRow, { request: unknown }>> = {},
) =>
	({
		request: {
			method: 'POST',
			path: `/v1/lms/loans/${loan}/refunds/`,
			body: { amount, type: 'cashback_refund' },
			summary: '',
			sent: { loan_id: loan, amount, type: 'cashback_refund' },
		},
		sent: { loan_id: loan, amount, type: 'cashback_refund' },
		sendAgain: false,
		...extra,
	}) as BatchRow;

const node = { name: 'Crego' } as INode;
const batchOf = (rows: BatchRow[]) =>
	describeBatch(
		mockContext(rows.map(() => ({}))),
		{ name: 'loan/initiateRefund', title: 'Loan → Initiate Refund' },
		rows,
	);

test('the digest covers every request, its order, Send Again and refusals; not how an amount was written', () => {
	const a = refund('a', 1500);
	const b = refund('b', 250.75);
	const digest = batchOf([a, b]).digest;
	expect(batchOf([refund('a', 1500.0), refund('b', 250.75)]).digest).toBe(digest);
	expect(batchOf([b, a]).digest).not.toBe(digest);
	expect(batchOf([a, refund('b', 250.76)]).digest).not.toBe(digest);
	expect(batchOf([a, refund('b', 250.75, { sendAgain: true })]).digest).not.toBe(digest);
	expect(batchOf([a, new NodeOperationError(node, 'Item 1: Amount is empty')]).digest).not.toBe(
		digest,
	);
});

test('Approved Batch: a batch, its JSON or its digest; an edited batch or nothing is refused', () => {
	const batch = batchOf([refund('a', 1)]);
	expect(parseApprovedBatch(batch, 'x')).toEqual({ digest: batch.digest, entries: batch.entries });
	expect(parseApprovedBatch(JSON.stringify(batch), 'x').digest).toBe(batch.digest);
	expect(parseApprovedBatch(` ${batch.digest.toUpperCase()}`, 'x')).toEqual({
		digest: batch.digest,
	});
	expect(() => parseApprovedBatch({ ...batch, entries: [] }, 'x')).toThrow(
		/changed after it was made/,
	);
	for (const nothing of ['', null, undefined, [], 42, 'yes'])
		expect(() => parseApprovedBatch(nothing, 'x')).toThrow(
			/^Nothing sent: Approved Batch holds no batch$/,
		);
});

test('the summary names each row to send and the total in rupees, Indian grouping', () => {
	const batch = batchOf([refund('a', 100000.5), refund('b', 1251.25)]);
	expect(batch.summary).toContain('To send (total ₹1,01,251.75):');
	expect(batch.totalAmount).toBe(101251.75);
});
