/**
 * The sandbox stands in for Crego, so it must hold to the docs itself: token required,
 * bodies validated, state kept, every field answered, every request recorded.
 */
import axios, { type AxiosRequestConfig } from 'axios';

import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

async function call(
	method: string,
	path: string,
	body?: unknown,
	{ headers, ...config }: AxiosRequestConfig = {},
) {
	const response = await axios.request({
		method,
		url: `${sandbox.url}${path}`,
		data: body,
		headers: { Authorization: `Bearer ${sandbox.token}`, ...(headers ?? {}) },
		validateStatus: () => true,
		...config,
	});
	return { status: response.status, body: response.data };
}

test('requires the Bearer token', async () => {
	const missing = await call('GET', '/v1/lms/settlements/', undefined, {
		headers: { Authorization: '' },
	});
	expect(missing).toEqual({
		status: 401,
		body: { detail: 'Authentication credentials were not provided.' },
	});
	const wrong = await call('GET', '/v1/lms/settlements/', undefined, {
		headers: { Authorization: 'Bearer nope' },
	});
	expect(wrong.status).toBe(401);
});

test('validates bodies as Django REST Framework does', async () => {
	const refund = await call('POST', `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`, {
		amount: 'x',
		type: 'refund',
	});
	expect(refund).toEqual({
		status: 400,
		body: { amount: ['A valid number is required.'], type: ['"refund" is not a valid choice.'] },
	});
	const tranche = await call('POST', '/v1/lms/payouts/add_tranche/', { amount: 1 });
	expect(tranche).toEqual({ status: 400, body: { loan_id: ['This field is required.'] } });
	const processed = await call('PUT', `/v1/lms/payouts/${ids.DOCS_PAYOUT_ID}/mark_processed/`, {
		utr: 'U',
		processed_at: 1693161000.5,
		debit_bank_id: ids.DOCS_DEBIT_BANK_ID,
	});
	expect(processed).toEqual({
		status: 400,
		body: { processed_at: ['A valid integer is required.'] },
	});
});

test('answers 404 for unknown objects and paths, 405 for wrong methods, 415 and 400 for bad bodies', async () => {
	expect((await call('GET', '/v1/lms/records/00000000-0000-4000-8000-000000000000/')).status).toBe(
		404,
	);
	expect((await call('GET', '/v1/lms/records/not-a-uuid/')).status).toBe(404);
	expect((await call('GET', `/v1/lms/records/${ids.DOCS_RECORD_ID}`)).status).toBe(404);
	expect(await call('GET', `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`)).toEqual({
		status: 405,
		body: { detail: 'Method "GET" not allowed.' },
	});
	const text = await call('POST', '/v1/lms/payouts/add_tranche/', 'loan', {
		headers: { 'Content-Type': 'text/plain' },
	});
	expect(text.status).toBe(415);
	const malformed = await call('POST', '/v1/lms/payouts/add_tranche/', '{"loan_id":', {
		headers: { 'Content-Type': 'application/json' },
		transformRequest: [(data) => data],
	});
	expect(malformed.status).toBe(400);
	expect(malformed.body.detail).toMatch(/^JSON parse error/);
});

test('keeps state: a tranche then processing it, seen through Get Single Record', async () => {
	const tranche = await call('POST', '/v1/lms/payouts/add_tranche/', {
		loan_id: ids.DOCS_TRANCHE_LOAN_ID,
		amount: 5000,
	});
	expect(tranche.status).toBe(200);
	expect(tranche.body).toMatchObject({
		type: 'disbursement',
		status: 'pending',
		utr: null,
		loan: ids.DOCS_TRANCHE_LOAN_ID,
	});

	const processed = await call('PUT', `/v1/lms/payouts/${tranche.body.id}/mark_processed/`, {
		utr: '123123123123123',
		processed_at: 1693161000,
		debit_bank_id: ids.DOCS_DEBIT_BANK_ID,
	});
	expect(processed.status).toBe(200);
	expect(processed.body).toMatchObject({
		id: tranche.body.id,
		utr: '123123123123123',
		processed_at: 1693161000,
	});
	expect(processed.body.debit_bank.id).toBe(ids.DOCS_DEBIT_BANK_ID);
	expect(sandbox.state.payouts.get(tranche.body.id).utr).toBe('123123123123123');

	const adjustment = await call('POST', `/v1/lms/loans/${ids.DOCS_LOAN_ID}/adjustments/`, {
		amount: 10,
		type: 'holdback',
	});
	expect(adjustment.status).toBe(201);
	const record = await call('GET', `/v1/lms/records/${adjustment.body.id}/?expand=payouts`);
	expect(record.body).toMatchObject({ id: adjustment.body.id, type: 'holdback', payouts: [] });
});

test('records every request it answered, for tests to inspect', async () => {
	await call('POST', `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`, {
		amount: 1,
		type: 'cashback_refund',
	});
	const log = await axios.get(`${sandbox.url}/__sandbox/requests`);
	expect(log.data).toHaveLength(1);
	expect(log.data[0]).toMatchObject({
		method: 'POST',
		path: `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`,
		body: { amount: 1, type: 'cashback_refund' },
		status: 201,
	});
	await axios.post(`${sandbox.url}/__sandbox/reset`);
	expect(sandbox.requests).toEqual([]);
});
