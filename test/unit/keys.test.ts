/** The keys a write is known by (writeSafety/duplicateKeys.ts): equal money movements share a key however they were written. */
import {
	amountKey,
	apiRequestKey,
	canonicalJson,
	idKey,
	keysWithReference,
	referenceKey,
	utrKey,
} from '../../nodes/Crego/writeSafety/duplicateKeys';

test('an amount written any way gives one key; different amounts, different keys', () => {
	expect(
		new Set([1500, '1500', '1500.00', '1,500'.replace(',', ''), 1500.0].map(amountKey)).size,
	).toBe(1);
	expect(amountKey(1500)).not.toBe(amountKey(1500.01));
});

test('IDs ignore case and spaces around; UTRs ignore case and every space', () => {
	expect(idKey(' F59B69C8-9E47-46A1-B2C9-83AE42666A30 ')).toBe(
		'f59b69c8-9e47-46a1-b2c9-83ae42666a30',
	);
	expect(utrKey('utr 0012 34')).toBe('UTR001234');
});

test('canonical JSON: key order does not matter, values do', () => {
	expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(
		canonicalJson({ a: { c: 'x', d: [1, 2] }, b: 1 }),
	);
	expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
});

test('an API Request is known by its method, path, query and body, in canonical form', () => {
	const one = apiRequestKey('POST', '/v1/lms/x/', { b: '2', a: '1' }, { amount: 1, loan: 'L' });
	const same = apiRequestKey('POST', '/v1/lms/x/', { a: '1', b: '2' }, { loan: 'L', amount: 1 });
	expect(one.key).toBe(same.key);
	expect(
		apiRequestKey('PATCH', '/v1/lms/x/', { a: '1', b: '2' }, { loan: 'L', amount: 1 }).key,
	).not.toBe(one.key);
});

test('a Reference: known by it for ever, case and spaces ignored; what the row acts on still holds, its fields only among rows without one', () => {
	expect(referenceKey(' inv-1 ').key).toBe(referenceKey('INV-1').key);
	expect(referenceKey('INV-1').lasts).toBe('always');
	const keys = keysWithReference('INV-1', [
		{ key: 'payout|p1', what: 'same payout', identity: true },
		{ key: 'refund|l|cashback|15e2', what: 'same loan, type and amount' },
	]);
	expect(keys[0]).toEqual(referenceKey('INV-1'));
	expect(keys[1]).toEqual({ key: 'payout|p1', what: 'same payout', identity: true });
	expect(keys[2]).toMatchObject({ key: 'refund|l|cashback|15e2', withReference: true });
});
