/**
 * The credential's Base URL, checked before any request: the token travels with every
 * request, so it must go only to an absolute https address (plain http only on this
 * machine), with nothing in the URL that could carry or redirect it.
 */

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function checkBaseUrl(value: unknown): { baseUrl: string } | { problem: string } {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') return { problem: 'is empty' };
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { problem: 'is not an absolute URL (it must start with https://)' };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		return { problem: `uses ${url.protocol.replace(':', '')}, not https` };
	if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
		return {
			problem:
				'uses plain http: the token would travel unencrypted. Use https (http is allowed only for localhost)',
		};
	}
	if (url.username || url.password) return { problem: 'contains a user name or password' };
	if (url.search || text.includes('?')) return { problem: 'contains a query (?...)' };
	if (url.hash || text.includes('#')) return { problem: 'contains a fragment (#...)' };
	return { baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
